namespace JwtDevices.Devices;

/// <summary>Why a device ended. Stored as a number: the values never change.</summary>
public enum DeviceRevocationReason
{
    /// <summary>The device logged itself out (<c>DELETE device-logout/</c>).</summary>
    LoggedOut = 1,

    /// <summary>Its user deleted it from the device list (<c>DELETE devices/{id}/</c>).</summary>
    Deleted = 2,

    /// <summary>Its permanent token was presented after the inactivity lifetime.</summary>
    Expired = 3,

    /// <summary>The expired-device cleanup removed it.</summary>
    CleanedUp = 4,

    /// <summary>Its user was deleted.</summary>
    UserDeleted = 5,

    /// <summary>An administrator revoked it.</summary>
    RevokedByAdministrator = 6,

    /// <summary>Its user's credentials changed (a password change or reset: the security stamp moved).</summary>
    CredentialsChanged = 7,

    /// <summary>A permanent token that rotation had retired was presented again: taken for a stolen copy.</summary>
    ReuseDetected = 10,

    /// <summary>Its <see cref="JwtDevicesOptions.PermanentTokenAbsoluteLifetime"/> since log-in ended.</summary>
    AbsoluteLifetimeEnded = 11,

    /// <summary>A log-in beyond <see cref="JwtDevicesOptions.MaxDevicesPerUser"/> made room by ending it.</summary>
    DeviceLimitEvicted = 12,

    /// <summary>
    /// Its user was locked out, deleted or given new credentials while its log-in was in flight: the log-in,
    /// reading the user again once it had written the device, ended it.
    /// </summary>
    UserInactive = 13,
}
