using JwtDevices.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the JwtDevices tables to an application's model.</summary>
public static class JwtDevicesModelBuilderExtensions
{
    /// <summary>Adds the device table (<c>jwt_devices</c>). Call it from <c>OnModelCreating</c>.</summary>
    /// <param name="builder">The model builder.</param>
    /// <returns>The model builder, for chaining.</returns>
    public static ModelBuilder UseJwtDevices(this ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ApplyConfiguration(new DeviceEntityConfiguration());
    }
}
