using JwtDevices.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the JwtDevices tables to an application's model.</summary>
public static class JwtDevicesModelBuilderExtensions
{
    /// <summary>
    /// Adds the device table (<c>jwt_devices</c>) and the revocation log (<c>jwt_device_revocations</c>).
    /// Call it from <c>OnModelCreating</c>. Times are stored as microseconds since the Unix epoch (UTC),
    /// which compare correctly in SQL on every provider.
    /// </summary>
    /// <param name="builder">The model builder.</param>
    /// <returns>The model builder, for chaining.</returns>
    public static ModelBuilder UseJwtDevices(this ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .ApplyConfiguration(new DeviceEntityConfiguration())
            .ApplyConfiguration(new DeviceRevocationEntityConfiguration());
    }
}
