namespace JwtDevices.Devices;

/// <summary>Keeps devices. Register one implementation, for example the EF Core store.</summary>
public interface IDeviceStore
{
    /// <summary>Adds a device; the store sets its <see cref="Device.Id"/>.</summary>
    ValueTask CreateAsync(Device device, CancellationToken cancellationToken);

    /// <summary>Finds a device by id, or returns <see langword="null"/>.</summary>
    ValueTask<Device?> FindByIdAsync(long id, CancellationToken cancellationToken);

    /// <summary>Finds the device whose permanent token has this SHA-256 hash, or returns <see langword="null"/>.</summary>
    ValueTask<Device?> FindByPermanentTokenHashAsync(byte[] hash, CancellationToken cancellationToken);

    /// <summary>Lists a user's devices, ordered by id.</summary>
    ValueTask<IReadOnlyList<Device>> ListByUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Sets a device's last-seen time.</summary>
    ValueTask UpdateLastRequestAsync(long id, DateTimeOffset lastRequest, CancellationToken cancellationToken);

    /// <summary>Deletes a device if it exists, and, when <paramref name="userId"/> is given, belongs to that user.</summary>
    /// <returns>Whether a device was deleted.</returns>
    ValueTask<bool> DeleteAsync(long id, string? userId, CancellationToken cancellationToken);
}
