using System.Net;
using System.Text.Json;

namespace JwtDevices.Tests.BadInput;

/// <summary>Checks that a refusal is a clean problem-details response, with nothing of the server's insides.</summary>
internal static class ProblemAssert
{
    /// <summary>Asserts the status, the problem+json body and its <c>code</c>; returns the body.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        HasNoInternals(text);

        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.Clone();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        if (code is not null)
        {
            Assert.Equal(code, body.GetProperty("code").GetString());
        }
        return body;
    }

    /// <summary>Asserts the problem's field errors are keyed by exactly this field or header name.</summary>
    public static void HasErrorsFor(JsonElement body, params string[] fields)
    {
        var keys = body.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(fields, keys);
    }

    /// <summary>Asserts the text carries no stack trace or exception text.</summary>
    public static void HasNoInternals(string text)
    {
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
    }
}
