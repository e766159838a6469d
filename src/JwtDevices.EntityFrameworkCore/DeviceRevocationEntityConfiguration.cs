using JwtDevices.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>Maps <see cref="DeviceRevocation"/> to the <c>jwt_device_revocations</c> table: the revocation log.</summary>
internal sealed class DeviceRevocationEntityConfiguration : IEntityTypeConfiguration<DeviceRevocation>
{
    public void Configure(EntityTypeBuilder<DeviceRevocation> builder)
    {
        builder.ToTable("jwt_device_revocations");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.RevokedAt).HasConversion(UnixMicrosecondsConverter.Instance);
        builder.Property(r => r.Reason).HasConversion<int>();

        // Nodes read the log by time, and the cleanup trims it by time.
        builder.HasIndex(r => r.RevokedAt);
    }
}
