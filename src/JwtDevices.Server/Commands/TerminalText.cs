using System.Globalization;
using System.Text;

namespace JwtDevices.Server.Commands;

/// <summary>
/// Stored text made harmless for an administrator's terminal: a control character (an ESC sequence can
/// recolour, retitle or rewrite the screen) is printed as its escape, <c>\x1B</c> or <c>\u009B</c>, so that
/// whatever reached the database (from an older version, or a Django import) shows as text.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string? text)
    {
        text ??= string.Empty;
        if (!text.Any(char.IsControl))
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var character in text)
        {
            if (!char.IsControl(character))
            {
                escaped.Append(character);
            }
            else if (character <= '\x7F')
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)character:X2}");
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)character:X4}");
            }
        }
        return escaped.ToString();
    }
}
