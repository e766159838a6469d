using System.Text;

namespace JwtDevices.Server.Commands;

/// <summary>A plain-text table for the admin commands: a header, then one row per line, columns padded to fit.</summary>
internal sealed class TextTable(params string[] headers)
{
    // A User-Agent can be hundreds of characters; the table stays readable on a terminal.
    private const int MaximumCellLength = 48;

    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string?[] cells) => _rows.Add([.. cells.Select(Cut)]);

    public override string ToString()
    {
        var widths = headers.Select((header, column) => _rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in _rows.Prepend(headers))
        {
            var line = string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column])));
            text.AppendLine(line.TrimEnd());
        }
        return text.ToString();
    }

    private static string Cut(string? cell)
    {
        var oneLine = TerminalText.Escape((cell ?? string.Empty).ReplaceLineEndings(" "));
        return oneLine.Length <= MaximumCellLength ? oneLine : string.Concat(oneLine.AsSpan(0, MaximumCellLength - 1), "…");
    }
}
