using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// A throw-away TLS certificate for <c>localhost</c> and <c>127.0.0.1</c>, made once per test run. Chromium takes it
/// as valid when launched with <c>--ignore-certificate-errors-spki-list=</c><see cref="SpkiHash"/>; merely
/// suppressed certificate errors are not enough for features that need a secure context, such as DBSC.
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> s_localhost = new(Create);

    public static X509Certificate2 Localhost => s_localhost.Value;

    /// <summary>Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's flag takes it.</summary>
    public static string SpkiHash => Convert.ToBase64String(SHA256.HashData(Localhost.PublicKey.ExportSubjectPublicKeyInfo()));

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        // Through PKCS #12, so that the private key is one Kestrel's TLS can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
