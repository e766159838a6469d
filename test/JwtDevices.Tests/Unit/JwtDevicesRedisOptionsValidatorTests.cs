using JwtDevices.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JwtDevices.Tests.Unit;

/// <summary>Redis settings that cannot work stop start-up with a message naming the setting and no secret.</summary>
public sealed class JwtDevicesRedisOptionsValidatorTests
{
    [Theory]
    [InlineData(null, "Configuration")]
    [InlineData("   ", "Configuration")]
    [InlineData("password=redis-secret", "Configuration")] // names no server
    [InlineData("localhost:6379,nonsense=redis-secret", "Configuration")]
    public void Validate_Fails_OnConfigurationThatCannotConnect(string? configuration, string setting)
    {
        var result = new JwtDevicesRedisOptionsValidator().Validate(null, new JwtDevicesRedisOptions { Configuration = configuration });

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("redis-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_Fails_OnAnEmptyChannel(string channel)
    {
        var result = new JwtDevicesRedisOptionsValidator().Validate(null, new JwtDevicesRedisOptions { Configuration = "localhost", Channel = channel });

        Assert.True(result.Failed);
        Assert.Contains("Channel", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Fails_OnConfigurationOptionsWithoutAServer()
    {
        var result = new JwtDevicesRedisOptionsValidator().Validate(null, new JwtDevicesRedisOptions { ConfigurationOptions = new ConfigurationOptions() });

        Assert.True(result.Failed);
        Assert.Contains("ConfigurationOptions", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("redis1:6379,redis2:6379,password=p,ssl=true,abortConnect=true")]
    public void Validate_Accepts_AConfigurationString(string configuration)
    {
        var result = new JwtDevicesRedisOptionsValidator().Validate(null, new JwtDevicesRedisOptions { Configuration = configuration });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_Accepts_AFactoryAlone()
    {
        var options = new JwtDevicesRedisOptions { ConnectionMultiplexerFactory = () => throw new InvalidOperationException() };

        Assert.True(new JwtDevicesRedisOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task StartUp_Fails_WithoutAConnection()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddJwtDevicesStackExchangeRedis(_ => { });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Configuration", error.Message, StringComparison.Ordinal);
    }
}
