using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Everything a page's console would show a developer as wrong: console errors, uncaught exceptions,
/// requests that failed, and answers of 400 or more (a browser logs each of those as an error too).
/// </summary>
public sealed class PageProblems
{
    private readonly ConcurrentQueue<string> _problems = new();

    private PageProblems(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _problems.Enqueue($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _problems.Enqueue($"uncaught: {error}");
        page.RequestFailed += (_, request) => _problems.Enqueue($"failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _problems.Enqueue($"answered {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    /// <summary>Starts listening to <paramref name="page"/>, before it loads anything.</summary>
    public static PageProblems Watch(IPage page) => new(page);

    /// <summary>Fails with the list of problems seen so far, if any.</summary>
    public void AssertNone()
    {
        var problems = _problems.ToArray();
        Assert.True(problems.Length == 0, "The page logged problems:\n" + string.Join('\n', problems));
    }
}
