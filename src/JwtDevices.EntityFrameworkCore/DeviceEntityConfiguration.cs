using JwtDevices.Devices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>Maps <see cref="Device"/> to the <c>jwt_devices</c> table.</summary>
internal sealed class DeviceEntityConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.ToTable("jwt_devices");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.UserId).HasMaxLength(450).IsRequired();
        builder.Property(d => d.Name).HasMaxLength(255).IsRequired();
        builder.Property(d => d.Details).HasMaxLength(255).IsRequired();
        builder.Property(d => d.PermanentTokenHash).HasMaxLength(32).IsRequired();
        builder.Property(d => d.PreviousPermanentTokenHash).HasMaxLength(32);
        builder.Property(d => d.PermanentTokenReplaced).HasConversion(UnixMicrosecondsConverter.Instance);
        builder.Property(d => d.KeySalt).HasMaxLength(32).IsRequired();
        builder.Property(d => d.SecurityStampHash).HasMaxLength(32);
        builder.Property(d => d.DpopKeyThumbprint).HasMaxLength(64);
        builder.Property(d => d.DbscPublicKey).HasMaxLength(2048);
        builder.Property(d => d.Created).HasConversion(UnixMicrosecondsConverter.Instance);
        builder.Property(d => d.LastRequest).HasConversion(UnixMicrosecondsConverter.Instance);

        // One per query: refresh finds by hash (or, with rotation, by the previous hash), the list by user, the cleanup by last-seen and creation time.
        builder.HasIndex(d => d.PermanentTokenHash).IsUnique();
        builder.HasIndex(d => d.PreviousPermanentTokenHash);
        builder.HasIndex(d => d.UserId);
        builder.HasIndex(d => d.LastRequest);
        builder.HasIndex(d => d.Created);
    }
}
