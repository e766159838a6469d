using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Checks a page against WCAG 2.1 A and AA with axe-core, run in the page itself. The engine comes with
/// the Deque.AxeCore.Playwright package, restored like any other: no node, no download at test time.
/// </summary>
public static class Accessibility
{
    private static readonly AxeRunOptions s_wcagAa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>Fails with each rule broken, where, and why; contrast is one of the rules.</summary>
    public static async Task AssertWcagAaAsync(IPage page, string what)
    {
        var result = await page.RunAxe(s_wcagAa);

        var violations = result.Violations.SelectMany(rule => rule.Nodes.Select(node =>
            $"{rule.Id} ({rule.Help}) at {node.Target} {node.Html}: "
            + string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message)))).ToList();
        Assert.True(violations.Count == 0, $"{what} breaks WCAG AA:\n{string.Join('\n', violations)}");
        Assert.Contains(result.Passes, rule => rule.Id == "color-contrast");
    }
}
