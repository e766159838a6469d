namespace JwtDevices.Server.Admin;

/// <summary>One page of the admin device list.</summary>
internal sealed record AdminDevicePage(IReadOnlyList<AdminDevice> Devices, int Page, int PageSize, int Total);

/// <summary>A device with its user, as the admin list shows it; times are UTC.</summary>
internal sealed record AdminDevice(
    long Id, long UserId, string Username, string Email, string Name, string Details, DateTime Created, DateTime LastRequestDatetime);
