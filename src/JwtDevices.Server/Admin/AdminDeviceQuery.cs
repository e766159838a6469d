using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server.Admin;

/// <summary>
/// The filters of the admin device list: a search term (user name, e-mail, device name or details, any
/// case), a last-seen range and a page.
/// </summary>
internal sealed record AdminDeviceQuery(string? Search, DateTimeOffset? SeenFrom, DateTimeOffset? SeenTo, int Page)
{
    public const int PageSize = 20;

    /// <summary>The last page whose offset a database takes (a 32-bit number); past it, a 400 naming <c>page</c>.</summary>
    public const int MaximumPage = int.MaxValue / PageSize;

    /// <summary>Longer search terms are refused rather than sent to the database.</summary>
    public const int MaximumSearchLength = 200;

    /// <summary>Reads the query string; the problem says which parameter is wrong.</summary>
    public static (AdminDeviceQuery? Query, IResult? Problem) Read(HttpRequest request)
    {
        var query = request.Query;
        var search = query["search"].ToString().Trim();
        if (search.Length > MaximumSearchLength)
        {
            return (null, JwtDevicesProblems.InvalidQuery("search", $"At most {MaximumSearchLength} characters."));
        }
        var page = 1;
        var pageText = query["page"].ToString();
        if (pageText.Length > 0 && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > MaximumPage))
        {
            return (null, JwtDevicesProblems.InvalidQuery("page", $"A whole number from 1 to {MaximumPage}."));
        }
        if (!TryReadDay(query["seen_from"].ToString(), out var from))
        {
            return (null, JwtDevicesProblems.InvalidQuery("seen_from", "A date, as 2026-11-30."));
        }
        if (!TryReadDay(query["seen_to"].ToString(), out var to))
        {
            return (null, JwtDevicesProblems.InvalidQuery("seen_to", "A date, as 2026-11-30."));
        }
        // The range takes whole days, in UTC: "to" includes its day.
        return (new AdminDeviceQuery(search.Length == 0 ? null : search, from, to?.AddDays(1), page), null);
    }

    /// <summary>Runs the query: newest-seen devices first.</summary>
    public async Task<AdminDevicePage> RunAsync(ServerDbContext db, CancellationToken cancellationToken)
    {
        var rows =
            from device in db.Set<Device>()
            join user in db.Users on EF.Property<long>(device, ServerDbContext.DeviceOwnerId) equals user.Id
            select new { device, user };
        if (Search is not null)
        {
            // Identity keeps names and e-mails upper-cased for lookups; device texts are compared in lower case.
            var upper = Search.ToUpperInvariant();
            var lower = Search.ToLowerInvariant();
#pragma warning disable CA1862 // EF Core translates ToLower().Contains() on both providers, not the StringComparison overloads.
            rows = rows.Where(r =>
                r.user.NormalizedUserName!.Contains(upper)
                || r.user.NormalizedEmail!.Contains(upper)
                || r.device.Name.ToLower().Contains(lower)
                || r.device.Details.ToLower().Contains(lower));
#pragma warning restore CA1862
        }
        if (SeenFrom is { } from)
        {
            rows = rows.Where(r => r.device.LastRequest >= from);
        }
        if (SeenTo is { } to)
        {
            rows = rows.Where(r => r.device.LastRequest < to);
        }

        var total = await rows.CountAsync(cancellationToken);
        var found = await rows
            .OrderByDescending(r => r.device.LastRequest).ThenByDescending(r => r.device.Id)
            .Skip((Page - 1) * PageSize).Take(PageSize)
            .ToListAsync(cancellationToken);
        var devices = found
            .Select(r => new AdminDevice(r.device.Id, r.user.Id, r.user.UserName ?? string.Empty, r.user.Email ?? string.Empty,
                r.device.Name, r.device.Details, ToMicroseconds(r.device.Created), ToMicroseconds(r.device.LastRequest), r.device.DpopKeyThumbprint is not null,
                    r.device.DpopKeyThumbprint is null ? null : r.device.DbscPublicKey is null ? "DPoP" : "DBSC"))
            .ToList();
        return new AdminDevicePage(devices, Page, PageSize, total);
    }

    private static bool TryReadDay(string text, out DateTimeOffset? day)
    {
        day = null;
        if (text.Length == 0)
        {
            return true;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }
        day = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return true;
    }

    // As the device list writes them: microseconds, UTC.
    private static DateTime ToMicroseconds(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
    }
}
