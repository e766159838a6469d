using System.Globalization;
using JwtDevices.Server.Commands;

namespace JwtDevices.Server.Django;

/// <summary>What an import did: rows added, rows already there, and rows skipped with their reasons.</summary>
internal sealed class DjangoImportReport
{
    private readonly List<string> _lines = [];

    public int UsersImported { get; set; }

    public int AdminsImported { get; set; }

    public int InactiveImported { get; set; }

    public int DevicesImported { get; set; }

    public int UsersAlreadyThere { get; set; }

    public int DevicesAlreadyThere { get; set; }

    public int UsersSkipped { get; private set; }

    public int DevicesSkipped { get; private set; }

    /// <summary>The skipped rows and notes, one line each, in the order met.</summary>
    public IReadOnlyList<string> Lines => _lines;

    public void SkipUser(DjangoUser user, string reason)
    {
        UsersSkipped++;
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"skipped user {user.Id} '{TerminalText.Escape(user.UserName)}': {reason}."));
    }

    public void SkipDevice(DjangoDevice device, string reason)
    {
        DevicesSkipped++;
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"skipped device {device.Id} of user {device.UserId}: {reason}."));
    }

    public void Note(DjangoUser user, string note) =>
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"note: user {user.Id} '{TerminalText.Escape(user.UserName)}' {note}."));

    /// <summary>The closing line: what was imported, or that nothing was, and what was already there or skipped.</summary>
    public string Summary()
    {
        var imported = UsersImported + DevicesImported == 0
            ? "Nothing new to import"
            : string.Create(CultureInfo.InvariantCulture,
                $"Imported {Count(UsersImported, "user")} ({AdminsImported} admin, {InactiveImported} inactive) and {Count(DevicesImported, "device")}");
        return string.Create(CultureInfo.InvariantCulture,
            $"{imported}; already imported: {Count(UsersAlreadyThere, "user")} and {Count(DevicesAlreadyThere, "device")}; skipped: {Count(UsersSkipped, "user")} and {Count(DevicesSkipped, "device")}.");
    }

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
