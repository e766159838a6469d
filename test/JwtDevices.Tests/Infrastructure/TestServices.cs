namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The real servers some tests need, named by environment variables that
/// <c>eval "$(bash scripts/test-services.sh start)"</c> exports. Under <c>CI=true</c> a missing one
/// fails those tests; elsewhere they are skipped (see <see cref="RequiresServiceAttribute"/>).
/// </summary>
public static class TestServices
{
    /// <summary>An Npgsql connection string to a superuser; tests create and drop their own databases in it.</summary>
    public const string Postgres = "JWTDEVICES_TEST_POSTGRES";

    /// <summary>A Redis endpoint, host:port.</summary>
    public const string Redis = "JWTDEVICES_TEST_REDIS";

    /// <summary>The Chromium executable for the browser tests; <c>/usr/bin/chromium</c> (Debian's package) when unset.</summary>
    public const string Chromium = "JWTDEVICES_TEST_CHROMIUM";

    public static string ChromiumPath =>
        IsSet(Chromium) ? Environment.GetEnvironmentVariable(Chromium)! : "/usr/bin/chromium";

    /// <summary>A folder holding the packed NuGet packages (<c>.ci/run</c> packs them there).</summary>
    public const string Packages = "JWTDEVICES_TEST_PACKAGES";

    /// <summary>Panva's <c>dpop</c> npm package in <c>test/dpop-interop</c>: not a variable, but <c>npm ci</c> there (<c>.ci/run</c> runs it).</summary>
    public const string DpopInterop = "test/dpop-interop";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string PostgresConnectionString => Require(Postgres);

    /// <summary>Why tests that need <paramref name="variable"/> are skipped here, or null when they run.</summary>
    public static string? SkipReason(string variable)
    {
        if (IsCi || IsSet(variable))
        {
            return null;
        }
        // Chromium needs no variable when Debian's package is installed.
        if (variable == Chromium)
        {
            return File.Exists(ChromiumPath) ? null : $"No Chromium at {ChromiumPath}; apt-get install chromium, or set {Chromium}.";
        }
        if (variable == DpopInterop)
        {
            return Directory.Exists(Repository.PathOf("test", "dpop-interop", "node_modules", "dpop"))
                ? null
                : "Panva's dpop package is not installed; run npm ci in test/dpop-interop.";
        }
        return $"{variable} is not set; start the test servers with eval \"$(bash scripts/test-services.sh start)\".";
    }

    private static bool IsSet(string variable) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable));

    private static string Require(string variable) =>
        IsSet(variable)
            ? Environment.GetEnvironmentVariable(variable)!
            : throw new InvalidOperationException(
                $"{variable} is not set; start the test servers with eval \"$(bash scripts/test-services.sh start)\".");
}
