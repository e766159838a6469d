namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Marks a test class whose tests need a real server (or an installed package), named by a constant of
/// <see cref="TestServices"/>. When it is missing, <see cref="ServicesTestFramework"/> reports the tests
/// as skipped, except under <c>CI=true</c>, where they run and fail.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresServiceAttribute(string environmentVariable) : Attribute
{
    public string EnvironmentVariable { get; } = environmentVariable;
}
