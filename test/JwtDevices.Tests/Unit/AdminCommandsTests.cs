using JwtDevices.Server.Commands;

namespace JwtDevices.Tests.Unit;

/// <summary>How a command's arguments split between configuration (<c>--Section:Key=value</c>) and the command.</summary>
public sealed class AdminCommandsTests
{
    [Fact]
    public void Arguments_WithASectionAndAValue_AreConfiguration_TheRestTheCommands()
    {
        string[] args = ["devices", "purge-expired", "--Database:Provider=Postgres", "--ConnectionStrings:Default=Host=db;Database=app"];

        Assert.Equal(["--Database:Provider=Postgres", "--ConnectionStrings:Default=Host=db;Database=app"], AdminCommands.ConfigurationArguments(args));
        Assert.Equal(["devices", "purge-expired"], AdminCommands.CommandArguments(args));
    }

    [Fact]
    public void TheCommandsOwnOptions_StayTheCommands_EvenWithAnEqualsSign()
    {
        string[] args = ["users", "add", "bob", "--password", "a:b=c", "--email=bob@example.com", "--JwtDevices:SigningKey=k"];

        Assert.Equal(["--JwtDevices:SigningKey=k"], AdminCommands.ConfigurationArguments(args));
        Assert.Equal(["users", "add", "bob", "--password", "a:b=c", "--email=bob@example.com"], AdminCommands.CommandArguments(args));
    }
}
