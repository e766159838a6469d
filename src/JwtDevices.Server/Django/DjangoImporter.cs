using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Endpoints;
using JwtDevices.Server.Data;
using JwtDevices.Server.Users;
using JwtDevices.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Django;

/// <summary>
/// Copies Django's users and drf-jwt-devices' devices into the server's database, keeping ids, password
/// hashes (verified by <see cref="DjangoPasswordHasher"/>) and permanent tokens (stored as the server's own
/// hash, never in the clear). Rows already imported are recognised and left alone, so running it again adds
/// nothing. Every batch is written inside one transaction over the whole import, which commits only at the
/// end: a failure anywhere leaves the server's database as it was before the run.
/// </summary>
internal sealed class DjangoImporter(ServerDbContext context, ILookupNormalizer normalizer, IOptions<IdentityOptions> identityOptions)
{
    public const int DefaultBatchSize = 1000;

    /// <summary>
    /// Imports every user and device of <paramref name="source"/>. Superusers (<c>is_superuser</c>) become admins,
    /// and staff (<c>is_staff</c>) too when <paramref name="staffAreAdmins"/>.
    /// </summary>
    public async Task<DjangoImportReport> ImportAsync(DjangoSource source, int batchSize, bool staffAreAdmins, CancellationToken cancellationToken)
    {
        var report = new DjangoImportReport();
        var skippedUsers = new HashSet<long>();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);

        List<DjangoUser> users;
        for (long after = 0; (users = await source.ReadUsersAsync(after, batchSize, cancellationToken)).Count > 0; after = users[^1].Id)
        {
            await ImportUsersAsync(users, report, skippedUsers, staffAreAdmins, cancellationToken);
        }

        List<DjangoDevice> devices;
        for (long after = 0; (devices = await source.ReadDevicesAsync(after, batchSize, cancellationToken)).Count > 0; after = devices[^1].Id)
        {
            await ImportDevicesAsync(devices, report, skippedUsers, cancellationToken);
        }

        if (context.Database.IsNpgsql())
        {
            await ContinueIdsAboveImportedAsync(transaction, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return report;
    }

    private async Task ImportUsersAsync(
        IReadOnlyList<DjangoUser> batch, DjangoImportReport report, HashSet<long> skippedUsers, bool staffAreAdmins, CancellationToken cancellationToken)
    {
        var ids = batch.Select(user => user.Id).ToList();
        var names = batch.Select(user => normalizer.NormalizeName(user.UserName)).ToList();
        var existing = await context.Users.AsNoTracking()
            .Where(user => ids.Contains(user.Id) || names.Contains(user.NormalizedUserName!))
            .Select(user => new { user.Id, user.NormalizedUserName })
            .ToListAsync(cancellationToken);
        var byId = existing.ToDictionary(user => user.Id, user => user.NormalizedUserName);
        // Names taken here, including by this batch's own new users, which are not saved yet.
        var idByName = existing.Where(user => user.NormalizedUserName is not null)
            .GroupBy(user => user.NormalizedUserName!).ToDictionary(group => group.Key, group => group.First().Id);
        long? adminRoleId = null;

        foreach (var user in batch)
        {
            var name = normalizer.NormalizeName(user.UserName);
            if (byId.TryGetValue(user.Id, out var nameHere))
            {
                if (nameHere == name)
                {
                    report.UsersAlreadyThere++;
                }
                else
                {
                    skippedUsers.Add(user.Id);
                    report.SkipUser(user, "its id is another user's here");
                }
                continue;
            }
            if (string.IsNullOrWhiteSpace(user.UserName))
            {
                skippedUsers.Add(user.Id);
                report.SkipUser(user, "it has no user name");
                continue;
            }
            if (user.UserName.Any(char.IsControl) || (user.Email ?? string.Empty).Any(char.IsControl))
            {
                // Identity would refuse such a name; printed, an ESC sequence would reach an administrator's terminal.
                skippedUsers.Add(user.Id);
                report.SkipUser(user, "its user name or e-mail holds control characters");
                continue;
            }
            if (idByName.TryGetValue(name, out var holder))
            {
                skippedUsers.Add(user.Id);
                report.SkipUser(user, string.Create(CultureInfo.InvariantCulture,
                    $"user {holder} has the same name here, where user names ignore case"));
                continue;
            }
            if (DjangoPasswordHashes.CostProblem(user.Password) is { } cost)
            {
                // Imported, every log-in attempt for this user would cost that much, for anyone who types the name.
                skippedUsers.Add(user.Id);
                report.SkipUser(user, $"its password hash {cost}");
                continue;
            }

            idByName[name] = user.Id;
            context.Users.Add(ToServerUser(user));
            // Django's staff may hold a few permissions only; admin here sees and ends every user's devices.
            if (user.IsSuperuser || (staffAreAdmins && user.IsStaff))
            {
                adminRoleId ??= await AdminRoleIdAsync(cancellationToken);
                context.UserRoles.Add(new IdentityUserRole<long> { UserId = user.Id, RoleId = adminRoleId.Value });
                report.AdminsImported++;
            }
            report.UsersImported++;
            if (!user.IsActive)
            {
                report.InactiveImported++;
            }
            if (!DjangoPasswordHashes.IsUnusable(user.Password) && !DjangoPasswordHashes.IsVerifiable(user.Password))
            {
                report.Note(user, string.Create(CultureInfo.InvariantCulture,
                    $"has a password hashed with '{DjangoPasswordHashes.Algorithm(user.Password)}', which the server does not verify: a password reset is needed to log in, while the user's devices keep working"));
            }
        }
        await SaveBatchAsync(cancellationToken);
    }

    private ServerUser ToServerUser(DjangoUser user)
    {
        var email = string.IsNullOrEmpty(user.Email) ? null : user.Email;
        return new ServerUser
        {
            Id = user.Id,
            UserName = user.UserName,
            NormalizedUserName = normalizer.NormalizeName(user.UserName),
            Email = email,
            NormalizedEmail = email is null ? null : normalizer.NormalizeEmail(email),
            // Kept as Django wrote it, and upgraded to Identity's at the first log-in; unusable stays unusable.
            PasswordHash = DjangoPasswordHashes.IsUnusable(user.Password) ? null : user.Password,
            SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            // An inactive Django user is locked out for good, Identity's way to deactivate one.
            LockoutEnabled = !user.IsActive || identityOptions.Value.Lockout.AllowedForNewUsers,
            LockoutEnd = user.IsActive ? null : DateTimeOffset.MaxValue,
            DateJoined = user.DateJoined,
            LastLogin = user.LastLogin,
        };
    }

    private async Task<long> AdminRoleIdAsync(CancellationToken cancellationToken)
    {
        var normalized = normalizer.NormalizeName(ServerRoles.Admin);
        var role = await context.Roles.FirstOrDefaultAsync(role => role.NormalizedName == normalized, cancellationToken);
        if (role is null)
        {
            role = new IdentityRole<long> { Name = ServerRoles.Admin, NormalizedName = normalized, ConcurrencyStamp = Guid.NewGuid().ToString() };
            context.Roles.Add(role);
            await context.SaveChangesAsync(cancellationToken);
        }
        return role.Id;
    }

    private async Task ImportDevicesAsync(IReadOnlyList<DjangoDevice> batch, DjangoImportReport report, HashSet<long> skippedUsers, CancellationToken cancellationToken)
    {
        var ids = batch.Select(device => device.Id).ToList();
        var userIds = batch.Select(device => device.UserId).Distinct().ToList();
        var owners = batch.Select(device => device.UserId.ToString(CultureInfo.InvariantCulture)).Distinct().ToList();
        var usersHere = (await context.Users.Where(user => userIds.Contains(user.Id)).Select(user => user.Id).ToListAsync(cancellationToken)).ToHashSet();
        // A token imported before sits on one of its owner's devices: those and the batch's ids are all that can clash.
        var devicesHere = await context.Set<Device>().AsNoTracking()
            .Where(device => ids.Contains(device.Id) || owners.Contains(device.UserId))
            .Select(device => new { device.Id, device.PermanentTokenHash })
            .ToListAsync(cancellationToken);
        var hashById = devicesHere.ToDictionary(device => device.Id, device => device.PermanentTokenHash);
        var idByHash = devicesHere.ToDictionary(device => Convert.ToHexString(device.PermanentTokenHash), device => device.Id);

        foreach (var device in batch)
        {
            var hash = PermanentTokens.TryHash(device.PermanentToken);
            if (skippedUsers.Contains(device.UserId))
            {
                report.SkipDevice(device, "its user was skipped");
            }
            else if (!usersHere.Contains(device.UserId))
            {
                report.SkipDevice(device, "its user is not in the server's database");
            }
            else if (hash is null)
            {
                report.SkipDevice(device, "its permanent token is empty or longer than any the server accepts");
            }
            else if (hashById.TryGetValue(device.Id, out var hashHere))
            {
                if (hashHere.AsSpan().SequenceEqual(hash))
                {
                    report.DevicesAlreadyThere++;
                }
                else
                {
                    report.SkipDevice(device, "its id is another device's here");
                }
            }
            else if (idByHash.TryGetValue(Convert.ToHexString(hash), out var holder))
            {
                report.SkipDevice(device, string.Create(CultureInfo.InvariantCulture, $"device {holder} here has the same permanent token"));
            }
            else
            {
                idByHash[Convert.ToHexString(hash)] = device.Id;
                context.Set<Device>().Add(new Device
                {
                    Id = device.Id,
                    UserId = device.UserId.ToString(CultureInfo.InvariantCulture),
                    Name = DeviceNames.Clean(device.Name),
                    Details = DeviceNames.Clean(device.Details),
                    PermanentTokenHash = hash,
                    // A fresh salt: the device's signing key is the server's own from now on.
                    KeySalt = PermanentTokens.CreateSalt(),
                    Created = device.Created,
                    // Sliding expiry goes on from Django's last-seen time.
                    LastRequest = device.LastRequest,
                });
                report.DevicesImported++;
            }
        }
        await SaveBatchAsync(cancellationToken);
    }

    private async Task SaveBatchAsync(CancellationToken cancellationToken)
    {
        await context.SaveChangesAsync(cancellationToken);
        // Each batch's rows are written; tracking them all would hold the whole import in memory.
        context.ChangeTracker.Clear();
    }

    /// <summary>
    /// Rows inserted with explicit ids leave PostgreSQL's identity sequences behind; move them past the
    /// highest id so the next user and device get new ids (never lower: ids of deleted rows stay unused).
    /// SQLite's AUTOINCREMENT follows explicit ids by itself.
    /// </summary>
    private async Task ContinueIdsAboveImportedAsync(IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { TableOf<ServerUser>(), TableOf<Device>() })
        {
            var connection = context.Database.GetDbConnection();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = $"""
                SELECT setval(s.name::regclass, m.id)
                FROM (SELECT pg_get_serial_sequence('{table}', 'Id') AS name) s
                CROSS JOIN (SELECT MAX("Id") AS id FROM {table}) m
                JOIN pg_sequences q ON format('%I.%I', q.schemaname, q.sequencename)::regclass = s.name::regclass
                WHERE m.id IS NOT NULL AND m.id >= COALESCE(q.last_value + 1, q.start_value)
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private string TableOf<T>()
    {
        var entity = context.Model.FindEntityType(typeof(T))!;
        var schema = entity.GetSchema();
        var name = $"\"{entity.GetTableName()}\"";
        return schema is null ? name : $"\"{schema}\".{name}";
    }
}
