using JwtDevices.Server.Django;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Tests.Unit;

/// <summary>
/// Django's password hashes, checked against the vectors Django publishes in its own tests
/// (tests/auth_tests/test_hashers.py), and the hasher that answers for them in Identity.
/// </summary>
public sealed class DjangoPasswordHashesTests
{
    public static TheoryData<string, string> PublishedVectors => new()
    {
        // test_pbkdf2 (Django 4.2 and 5.0), test_low_level_pbkdf2, test_low_level_pbkdf2_sha1
        { "pbkdf2_sha256$600000$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA=", "lètmein" },
        { "pbkdf2_sha256$600000$seasalt2$OSllgFdJjYQjb0RfMzrx8u0XYl4Fkt+wKpI1yq4lZlo=", "lètmein" },
        { "pbkdf2_sha1$600000$seasalt2$2CLsaL1MZhq6JOG6QOHtVbiopHE=", "lètmein" },
        // test_pbkdf2 (Django 5.2)
        { "pbkdf2_sha256$1500000$seasalt$P4UiMPVduVWIL/oS1GzH+IofsccjJNM5hUTikBvi5to=", "lètmein" },
        // test_argon2: an old argon2i hash with a version attribute
        { "argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q", "secret" },
    };

    [Theory]
    [MemberData(nameof(PublishedVectors))]
    public void Verify_AcceptsDjangosPublishedVectors_AndRefusesAnyOtherPassword(string encoded, string password)
    {
        Assert.True(DjangoPasswordHashes.IsVerifiable(encoded));
        Assert.True(DjangoPasswordHashes.Verify(encoded, password));
        Assert.False(DjangoPasswordHashes.Verify(encoded, password + "z"));
    }

    [Theory]
    // Unusable passwords (make_password(None) and the bare prefix of old versions) match nothing, not even themselves.
    [InlineData("!z8iaiyOqkyXfq4iSOmegPIySIH4gBI8vQymbNVaR")]
    [InlineData("!")]
    [InlineData("")]
    public void Verify_RefusesUnusablePasswords(string encoded)
    {
        Assert.True(DjangoPasswordHashes.IsUnusable(encoded));
        Assert.False(DjangoPasswordHashes.Verify(encoded, encoded));
        Assert.False(DjangoPasswordHashes.Verify(encoded, string.Empty));
    }

    [Theory]
    // Formats known but not verified here: salted and unsalted MD5 and SHA-1, crypt, scrypt, argon2 version 16.
    [InlineData("md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3", "md5")]
    [InlineData("sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8", "sha1")]
    [InlineData("sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b", "sha1")]
    [InlineData("88a434c88cca4e900f7874cd98123f43", "unsalted_md5")]
    [InlineData("crypt$$ab1Hv2Lg7ltQo", "crypt")]
    [InlineData("argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg", "argon2")]
    public void UnverifiedFormats_AreNamed_AndMatchNothing(string encoded, string algorithm)
    {
        Assert.Equal(algorithm, DjangoPasswordHashes.Algorithm(encoded));
        Assert.False(DjangoPasswordHashes.IsVerifiable(encoded));
        Assert.False(DjangoPasswordHashes.Verify(encoded, "lètmein"));
        Assert.False(DjangoPasswordHashes.Verify(encoded, "secret"));
    }

    [Theory]
    [InlineData("pbkdf2_sha256$abc$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA=")]
    [InlineData("pbkdf2_sha256$600000$seasalt$not base64!")]
    [InlineData("pbkdf2_sha256$600000$seasalt$c2hvcnQ=")]
    [InlineData("pbkdf2_sha256$600000$seasalt")]
    [InlineData("argon2$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q")]
    [InlineData("argon2$argon2id$v=19$m=8,t=1,p=1$%%%$YC9+jJCrQhs5R6db7LlN8Q")]
    [InlineData("bcrypt_sha256$$2b$12$tooshort")]
    [InlineData("bcrypt$nonsense")]
    public void Verify_RefusesMalformedHashes_WithoutThrowing(string encoded)
    {
        Assert.False(DjangoPasswordHashes.Verify(encoded, "lètmein"));
    }

    [Theory]
    [InlineData("pbkdf2_sha256$3000001$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA=")]
    [InlineData("pbkdf2_sha1$2147483647$seasalt2$2CLsaL1MZhq6JOG6QOHtVbiopHE=")]
    [InlineData("argon2$argon2id$v=19$m=262145,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q")]
    [InlineData("argon2$argon2id$v=19$m=102400,t=5,p=8$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q")]
    [InlineData("argon2$argon2id$v=19$m=1024,t=1,p=17$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q")]
    [InlineData("bcrypt_sha256$$2b$14$6E6XG4tbQ7XKTEDJI6OB2utKyolrTqTe.3FgocK3w.GAVWCM5v6qi")]
    [InlineData("bcrypt$$2b$31$6E6XG4tbQ7XKTEDJI6OB2utKyolrTqTe.3FgocK3w.GAVWCM5v6qi")]
    public void HashesBeyondTheBounds_SayWhy_AndAreNotComputed(string encoded)
    {
        Assert.StartsWith("asks for ", DjangoPasswordHashes.CostProblem(encoded), StringComparison.Ordinal);
        Assert.False(DjangoPasswordHashes.TryVerify(encoded, "lètmein", out _));
    }

    [Theory]
    // Django's defaults: PBKDF2 in 5.2 and 6.0, argon2 since 4.0, bcrypt.
    [InlineData("pbkdf2_sha256$1200000$seasalt$P4UiMPVduVWIL/oS1GzH+IofsccjJNM5hUTikBvi5to=")]
    [InlineData("argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q")]
    [InlineData("bcrypt_sha256$$2b$12$6E6XG4tbQ7XKTEDJI6OB2utKyolrTqTe.3FgocK3w.GAVWCM5v6qi")]
    public void DjangosDefaults_AreWithinTheBounds(string encoded)
    {
        Assert.Null(DjangoPasswordHashes.CostProblem(encoded));
    }

    [Fact]
    public void Hasher_AnswersRehashNeeded_ForAMatchingDjangoHash_AndFailedOtherwise()
    {
        var hasher = NewHasher();
        var user = new ServerUser();
        const string encoded = "pbkdf2_sha1$600000$seasalt2$2CLsaL1MZhq6JOG6QOHtVbiopHE=";

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, hasher.VerifyHashedPassword(user, encoded, "lètmein"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, encoded, "letmein"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, "!unusable", "!unusable"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3", "lètmein"));
    }

    [Fact]
    public void Hasher_KeepsIdentitysOwnFormat()
    {
        var hasher = NewHasher();
        var user = new ServerUser();

        var hash = hasher.HashPassword(user, "a new password");

        Assert.False(DjangoPasswordHashes.IsDjangoHash(hash));
        Assert.Equal(new PasswordHasher<ServerUser>().VerifyHashedPassword(user, hash, "a new password"), hasher.VerifyHashedPassword(user, hash, "a new password"));
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, hash, "a new password"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, hash, "another password"));
    }

    private static DjangoPasswordHasher NewHasher() =>
        new(new PasswordHasher<ServerUser>(), Options.Create(new PasswordHasherOptions()));
}
