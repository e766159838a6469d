using System.Globalization;
using System.Text;
using System.Text.Json;

namespace JwtDevices.Tests.Attacks.Fuzz;

/// <summary>
/// Makes random requests from a seeded <see cref="Random"/>: any mapped route (or a near miss), any
/// method, Authorization, Permanent-Token, Device-Id, Content-Type and other headers that are genuine,
/// stale, forged or garbage, and bodies that are JSON, form data or noise. It learns the tokens that
/// successful log-ins and refreshes hand out, so that many requests get past authentication. A <c>DPoP</c>
/// header, when sent, is a good proof by one key (so log-ins bind devices and bound tokens get through), one for
/// another method or time, a mangled one, or garbage; proofs' signatures and ids are random whatever the seed.
/// </summary>
internal sealed class RequestFuzzer(Random random, IReadOnlyList<MappedEndpoint> endpoints, IReadOnlyList<string> users, string password,
    Infrastructure.DpopKey dpopKey, Func<DateTimeOffset> now)
{
    private static readonly string[] s_methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"];

    private static readonly string[] s_strayPaths =
    [
        "/", "/devices", "/devices/1/extra/", "/auth-token", "/me/", "/DEVICES/", "/devices/%2F/",
        "/device-logout", "/device-refresh-token", "/health", "/health/", "/api/auth-token/", "/devices/../auth-token/",
        "/%E2%82%AC", "/favicon.ico", "/devices/1//",
    ];

    private static readonly string[] s_contentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "application/json; charset=",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "multipart/form-data", "text/plain",
        "application/problem+json", "application/merge-patch+json", "*/*", "application/octet-stream", ";;;", "application/json; charset=\"utf-8\"",
    ];

    private readonly IReadOnlyList<MappedEndpoint[]> _routes =
        endpoints.GroupBy(endpoint => endpoint.Pattern.RawText).Select(route => route.ToArray()).ToList();

    private readonly List<FuzzLogin> _logins = [];
    private readonly List<string> _staleTokens = [];

    public int LoginCount => _logins.Count;

    /// <summary>The next request, and a one-line description of it to print when it fails.</summary>
    public (HttpRequestMessage Request, string Description, FuzzLogin? Refreshing) Next()
    {
        // A route first, then one of its methods: a route mapped for many methods is not fuzzed more often.
        var route = random.NextDouble() < 0.9 ? Pick(_routes) : null;
        var endpoint = route is null ? null : Pick(route);
        var method = endpoint is not null && random.NextDouble() < 0.8 ? endpoint.Method : Pick(s_methods);
        var path = endpoint?.Path(_ => Id()) ?? Pick(s_strayPaths);
        if (random.NextDouble() < 0.15 && path.Length > 1 && path.EndsWith('/'))
        {
            path = path[..^1];
        }
        if (random.NextDouble() < 0.1)
        {
            path += $"?id={Uri.EscapeDataString(Id())}&{Noise(5)}=";
        }

        var request = new HttpRequestMessage(new HttpMethod(method), path);
        var description = new StringBuilder($"{method} {path}");
        FuzzLogin? refreshing = null;

        string? token = null;
        if (random.NextDouble() < 0.75)
        {
            token = AccessToken();
            Header(request, description, "Authorization", $"{Pick(["JWT", "Bearer", "bearer", "jwt", "Basic", "JWT ", "Token", "DPoP", "DPoP", "dpop"])} {token}".TrimEnd());
        }
        if (random.NextDouble() < 0.35)
        {
            Header(request, description, "DPoP", Proof(method, path, token));
        }
        if (random.NextDouble() < 0.25)
        {
            string value;
            (value, refreshing) = PermanentToken();
            Header(request, description, "Permanent-Token", value);
        }
        if (random.NextDouble() < 0.3)
        {
            Header(request, description, "Device-Id", Id());
        }
        if (random.NextDouble() < 0.15)
        {
            Header(request, description, "X-Device-Model", Text(random.Next(0, 400)));
        }
        if (random.NextDouble() < 0.15)
        {
            Header(request, description, "User-Agent", Text(random.Next(0, 400)));
        }
        if (method is not ("HEAD" or "TRACE") && random.NextDouble() < 0.6)
        {
            var (body, contentType) = Body();
            var content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            request.Content = content;
            description.Append(CultureInfo.InvariantCulture, $" | Content-Type: {contentType ?? "(none)"} | body {body.Length} bytes: {Shorten(Encoding.UTF8.GetString(body))}");
        }
        return (request, description.ToString(), refreshing);
    }

    /// <summary>Learns the tokens of a successful log-in or refresh, so that later requests use them.</summary>
    public void Learn(HttpResponseMessage response, string body, FuzzLogin? refreshing)
    {
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return;
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("token", out var token))
            {
                return;
            }
            if (root.TryGetProperty("permanent_token", out var permanent) && root.TryGetProperty("device_id", out var device))
            {
                if (refreshing is not null)
                {
                    // A refresh that rotates the permanent token.
                    _staleTokens.Add(refreshing.PermanentToken);
                    refreshing.PermanentToken = permanent.GetString()!;
                    refreshing.Token = token.GetString()!;
                    return;
                }
                _logins.Add(new FuzzLogin(token.GetString()!, permanent.GetString()!, device.GetInt64()));
                if (_logins.Count > 200)
                {
                    _staleTokens.Add(_logins[0].Token);
                    _logins.RemoveAt(0);
                }
            }
            else if (refreshing is not null)
            {
                _staleTokens.Add(refreshing.Token);
                refreshing.Token = token.GetString()!;
            }
        }
        catch (JsonException)
        {
        }
    }

    private string AccessToken()
    {
        var roll = random.NextDouble();
        if (roll < 0.55 && _logins.Count > 0)
        {
            return Pick(_logins).Token;
        }
        if (roll < 0.65 && _staleTokens.Count > 0)
        {
            return Pick(_staleTokens);
        }
        if (roll < 0.8 && _logins.Count > 0)
        {
            return Mangle(Pick(_logins).Token);
        }
        return Pick(["", "abc.def.ghi", "...", "eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoxfQ.", Noise(random.Next(1, 300)), new string('A', 20_000)]);
    }

    private string Proof(string method, string path, string? token)
    {
        var time = now();
        return random.Next(7) switch
        {
            0 or 1 or 2 => dpopKey.Proof(method, path, time, token),
            3 => Mangle(dpopKey.Proof(method, path, time, token)),
            4 => dpopKey.Proof(Pick(s_methods), Pick([path, "/", "http://other.example/x"]), time + TimeSpan.FromSeconds(random.Next(-600, 600)), token),
            5 => Noise(random.Next(0, 400)),
            _ => Pick(["", "a.b.c", "...", "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6Im5vbmUifQ.e30.", new string('A', 9_000)]),
        };
    }

    private (string Value, FuzzLogin? Login) PermanentToken()
    {
        var roll = random.NextDouble();
        if (roll < 0.6 && _logins.Count > 0)
        {
            var login = Pick(_logins);
            return (login.PermanentToken, login);
        }
        if (roll < 0.7 && _staleTokens.Count > 0)
        {
            return (Pick(_staleTokens), null);
        }
        if (roll < 0.8 && _logins.Count > 0)
        {
            return (Mangle(Pick(_logins).PermanentToken), null);
        }
        return (Pick(["", " ", Noise(43), Noise(random.Next(1, 100)), new string('A', 10_000), "' OR 1=1 --"]), null);
    }

    private string Id()
    {
        var roll = random.NextDouble();
        if (roll < 0.5 && _logins.Count > 0)
        {
            return Pick(_logins).DeviceId.ToString(CultureInfo.InvariantCulture);
        }
        if (roll < 0.65)
        {
            return random.Next(0, 1000).ToString(CultureInfo.InvariantCulture);
        }
        return Pick(["0", "-1", "+1", "1.5", "1e3", "0x10", " 1", "1 ", "abc", "", "9223372036854775807", "9223372036854775808",
            "99999999999999999999999", "١٢", "%", "1,2", "null", "[1]", Noise(random.Next(1, 50))]);
    }

    private (byte[] Body, string? ContentType) Body()
    {
        var user = random.NextDouble() < 0.97 ? Pick(users) : $"nobody_{random.Next(100)}";
        var secret = random.NextDouble() < 0.6 ? password : Text(random.Next(0, 20));
        var roll = random.NextDouble();
        string text;
        string? contentType;
        if (roll < 0.35)
        {
            text = JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = user, ["password"] = secret });
            contentType = random.NextDouble() < 0.85 ? "application/json" : Pick(s_contentTypes);
        }
        else if (roll < 0.5)
        {
            text = $"username={Uri.EscapeDataString(user)}&password={Uri.EscapeDataString(secret)}";
            contentType = random.NextDouble() < 0.85 ? "application/x-www-form-urlencoded" : Pick(s_contentTypes);
        }
        else if (roll < 0.7)
        {
            text = Pick([
                "{}", "[]", "null", "\"text\"", "123", "{\"username\":1,\"password\":[]}", "{\"username\":null,\"password\":null}",
                "{\"username\":{\"a\":1},\"password\":true}", "{\"username\":\"a\"", "{\"name\":\"renamed\"}", "{\"name\":null}",
                "{\"name\":" + JsonSerializer.Serialize(Text(random.Next(0, 600))) + "}", $"{{\"a\":{new string('[', 5000)}{new string(']', 5000)}}}",
                "{\"username\":\"" + user + "\",\"username\":\"other\",\"password\":\"" + secret + "\"}", "\uFEFF{}",
            ]);
            contentType = Pick(s_contentTypes);
        }
        else if (roll < 0.8)
        {
            return (Encoding.UTF8.GetBytes(new string('x', random.Next(16 * 1024, 40 * 1024))), Pick(s_contentTypes));
        }
        else
        {
            var noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            return (noise, random.NextDouble() < 0.8 ? Pick(s_contentTypes) : null);
        }
        return (Encoding.UTF8.GetBytes(text), contentType);
    }

    // A token with one character changed, or cut, or with a part swapped for noise.
    private string Mangle(string token)
    {
        if (token.Length == 0)
        {
            return Noise(10);
        }
        var chars = token.ToCharArray();
        switch (random.Next(4))
        {
            case 0:
                chars[random.Next(chars.Length)] = Pick("ABCxyz019-_.=+/".ToCharArray());
                return new string(chars);
            case 1:
                return token[..random.Next(token.Length)];
            case 2:
                var parts = token.Split('.');
                parts[random.Next(parts.Length)] = Noise(random.Next(0, 60));
                return string.Join('.', parts);
            default:
                return token + Noise(random.Next(1, 10));
        }
    }

    private string Noise(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }
        return new string(chars);
    }

    // Printable text that may be any script; header values must stay on one line.
    private string Text(int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(6) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0xa0, 0x2000),
                2 => (char)random.Next(0x3040, 0x30ff),
                _ => (char)random.Next('a', 'z' + 1),
            });
        }
        return builder.ToString();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static void Header(HttpRequestMessage request, StringBuilder description, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        description.Append(CultureInfo.InvariantCulture, $" | {name}: {Shorten(value)}");
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : $"{value[..80]}...({value.Length} chars)";
}
