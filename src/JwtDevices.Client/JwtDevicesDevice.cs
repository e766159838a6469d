namespace JwtDevices.Client;

/// <summary>One of the user's devices, as the server lists it.</summary>
/// <param name="Id">The device's id.</param>
/// <param name="Created">When it logged in.</param>
/// <param name="Name">Its name: the device model given at log-in, or its User-Agent.</param>
/// <param name="Details">Its User-Agent when a model was given, else empty.</param>
/// <param name="LastRequestDatetime">When it last refreshed, to within the server's accuracy window.</param>
public sealed record JwtDevicesDevice(long Id, DateTimeOffset Created, string Name, string Details, DateTimeOffset LastRequestDatetime);
