using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JwtDevices.Tests.Unit;

/// <summary>Nonsense settings stop start-up with a message that names the setting.</summary>
public sealed class JwtDevicesOptionsValidatorTests
{
    private const string Key256 = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

    [Theory]
    [InlineData("AccessTokenLifetime", "00:00:00")]
    [InlineData("AccessTokenLifetime", "-00:00:01")]
    [InlineData("PermanentTokenLifetime", "00:00:00")]
    [InlineData("PermanentTokenLifetime", "-1.00:00:00")]
    [InlineData("PermanentTokenExpirationAccuracy", "-00:00:01")]
    [InlineData("ClockSkew", "-00:00:01")]
    [InlineData("RevocationPollInterval", "00:00:00")]
    [InlineData("RevocationPollInterval", "31.00:00:00")]
    [InlineData("CleanupInterval", "-01:00:00")]
    [InlineData("CleanupInterval", "60.00:00:00")]
    [InlineData("SigningKey", "")]
    [InlineData("SigningKey", "   ")]
    [InlineData("SigningKey", "this is not base64!")]
    [InlineData("SigningKey", "AAECAwQFBgcICQoLDA0ODw==")] // 128 bits
    public void Validate_Fails_NamingTheSetting(string setting, string value)
    {
        var options = Bind(("SigningKey", Key256), (setting, value));

        var result = new JwtDevicesOptionsValidator().Validate(null, options);

        Assert.True(result.Failed, $"{setting}={value} was accepted.");
        Assert.Contains($"JwtDevices:{setting}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Fails_WhenSigningKeyIsMissing()
    {
        var options = new JwtDevicesOptions();

        var result = new JwtDevicesOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("JwtDevices:SigningKey", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("this is not base64!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")] // 128 bits
    [InlineData("")]
    public void Validate_Fails_NamingTheRotatedKeyByItsPlace_WithoutItsValue(string value)
    {
        var options = Bind(("SigningKeys:0", Key256), ("SigningKeys:1", value));

        var result = new JwtDevicesOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("JwtDevices:SigningKeys:1", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(Key256, failure, StringComparison.Ordinal);
        if (value.Length > 0)
        {
            Assert.DoesNotContain(value, failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_Fails_WhenBothSigningKeyAndSigningKeysAreSet()
    {
        var options = Bind(("SigningKey", Key256), ("SigningKeys:0", Key256));

        var result = new JwtDevicesOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("JwtDevices:SigningKeys", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Succeeds_ForAListOfKeysAlone()
    {
        var options = Bind(("SigningKeys:0", Key256), ("SigningKeys:1", "AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8="));

        var result = new JwtDevicesOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(2, options.MasterKeys.Count());
    }

    [Fact]
    public void Validate_NamesOnlyTheWrongSetting()
    {
        var options = Bind(("SigningKey", Key256), ("ClockSkew", "-00:00:05"));

        var result = new JwtDevicesOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("JwtDevices:ClockSkew", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Succeeds_ForTheDefaultsAndA256BitKey()
    {
        var options = new JwtDevicesOptions { SigningKey = Key256 };

        var result = new JwtDevicesOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_Succeeds_ForZeroAccuracyAndZeroClockSkew()
    {
        var options = new JwtDevicesOptions
        {
            SigningKey = Key256,
            PermanentTokenExpirationAccuracy = TimeSpan.Zero,
            ClockSkew = TimeSpan.Zero,
        };

        var result = new JwtDevicesOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Host_RefusesToStart_WithAZeroAccessTokenLifetime()
    {
        using var server = new ServerFactory(("JwtDevices:AccessTokenLifetime", "00:00:00"));

        var error = Record.Exception(() => server.CreateClient());

        Assert.NotNull(error);
        var validation = FindValidationException(error);
        Assert.True(validation is not null, $"No OptionsValidationException in: {error}");
        Assert.Contains("JwtDevices:AccessTokenLifetime", validation.Message, StringComparison.Ordinal);
    }

    private static JwtDevicesOptions Bind(params (string Key, string Value)[] settings)
    {
        // Later settings win, as a later configuration source would.
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new JwtDevicesOptions();
        configuration.Bind(options);
        return options;
    }

    private static OptionsValidationException? FindValidationException(Exception? error)
    {
        while (error is not null)
        {
            if (error is OptionsValidationException validation)
            {
                return validation;
            }
            if (error is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (FindValidationException(inner) is { } found)
                    {
                        return found;
                    }
                }
            }
            error = error.InnerException;
        }
        return null;
    }
}
