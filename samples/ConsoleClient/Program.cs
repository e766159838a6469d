using JwtDevices.Client;

// dotnet run -- http://localhost:5000/ alice [--sign-out], against the quick-start app (samples/QuickStart), which serves /hello.
// The password comes from the environment variable JWTDEVICES_PASSWORD, or else from the first line of standard input;
// it is needed only the first time: afterwards the permanent token in the token file signs in.
var server = new Uri(args.Length > 0 ? args[0] : "http://localhost:5000/");
var username = args.Length > 1 ? args[1] : "alice";
var tokenFile = Path.Combine(
    Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "JwtDevicesConsole", $"{username}@{server.Authority.Replace(':', '_')}.json");

using var client = new JwtDevicesClient(new HttpClient(), new JwtDevicesClientOptions
{
    ServerAddress = server,
    TokenStore = new FileJwtDevicesTokenStore(tokenFile), // owner-only, replaced atomically; holds the DPoP key too
});
client.SignInRequired += (_, e) => Console.Error.WriteLine($"The server signed this device out ({e.Code}); run again to sign in.");

// Every request of this HttpClient carries a fresh JWT; expiry, 401s and nonces are handled below it. It sends only to the server.
using var api = new HttpClient(client.CreateHandler(new SocketsHttpHandler())) { BaseAddress = server };
try
{
    if (!await client.IsSignedInAsync())
    {
        var password = Environment.GetEnvironmentVariable("JWTDEVICES_PASSWORD") ?? Console.ReadLine() ?? "";
        await client.SignInAsync(username, password, deviceModel: "Console sample");
    }
    // Bound when the server binds devices (DPoP): the key is kept in the token file, and every request carries a proof.
    Console.WriteLine(client.IsBoundToKey ? "This device is bound to its key." : "This device is not key-bound.");

    Console.WriteLine(await api.GetStringAsync("hello"));
    foreach (var device in await client.GetDevicesAsync())
    {
        Console.WriteLine($"device {device.Id}: {device.Name}{(device.Id == client.DeviceId ? " (this one)" : "")}");
    }
    if (args.Contains("--sign-out"))
    {
        await client.SignOutAsync();
        Console.WriteLine("Signed out.");
    }
    return 0;
}
catch (SignInRequiredException)
{
    return 2; // the store is cleared; the next run signs in again
}
catch (JwtDevicesUnavailableException e)
{
    Console.Error.WriteLine($"The server is unavailable; try again{(e.RetryAfter is { } wait ? $" in {wait.TotalSeconds:0} s" : " later")}.");
    return 3;
}
catch (JwtDevicesClientException e)
{
    Console.Error.WriteLine(e.Message); // such as "The server refused the sign-in (400 invalid_credentials)."; it names no secret
    return 1;
}
