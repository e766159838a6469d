using JwtDevices.EntityFrameworkCore;

namespace JwtDevices.Tests.Unit;

/// <summary>EF Core store settings that cannot work stop start-up with a message naming the setting.</summary>
public sealed class JwtDevicesEntityFrameworkCoreOptionsValidatorTests
{
    [Fact]
    public void Validate_Succeeds_OnTheDefaults()
    {
        Assert.True(new JwtDevicesEntityFrameworkCoreOptionsValidator().Validate(null, new JwtDevicesEntityFrameworkCoreOptions()).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("jwtdevices-revocations")]
    [InlineData("revocations\"; DROP TABLE jwt_devices; --")]
    [InlineData("révocations")]
    [InlineData("a_channel_name_longer_than_the_sixty_three_bytes_postgres_keeps_")]
    public void Validate_Fails_OnAChannelThatIsNotAPlainIdentifier(string channel)
    {
        var result = new JwtDevicesEntityFrameworkCoreOptionsValidator().Validate(null, new JwtDevicesEntityFrameworkCoreOptions { PostgresNotificationChannel = channel });

        Assert.True(result.Failed);
        Assert.Contains("PostgresNotificationChannel", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void Validate_Fails_OnAChangeCheckIntervalOutOfRange(int milliseconds)
    {
        var result = new JwtDevicesEntityFrameworkCoreOptionsValidator().Validate(
            null, new JwtDevicesEntityFrameworkCoreOptions { SqliteChangeCheckInterval = TimeSpan.FromMilliseconds(milliseconds) });

        Assert.True(result.Failed);
        Assert.Contains("SqliteChangeCheckInterval", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)] // off
    [InlineData(60_000)]
    public void Validate_Succeeds_OnAChangeCheckIntervalInRange(int milliseconds)
    {
        var result = new JwtDevicesEntityFrameworkCoreOptionsValidator().Validate(
            null, new JwtDevicesEntityFrameworkCoreOptions { SqliteChangeCheckInterval = TimeSpan.FromMilliseconds(milliseconds) });

        Assert.True(result.Succeeded);
    }
}
