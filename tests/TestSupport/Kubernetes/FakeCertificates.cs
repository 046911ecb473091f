using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// A CA and a server certificate signed by it for 127.0.0.1 and localhost. kubectl sends a bearer token only over
/// https and verifies the chain like Go does (the CA needs basic constraints and keyCertSign), so a self-signed leaf
/// would not do.
/// </summary>
public sealed class FakeCertificates : IDisposable
{
    private FakeCertificates(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate with its private key, for Kestrel.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The CA in PEM, as a kubeconfig's certificate-authority-data carries it (base64 of this text).</summary>
    public string AuthorityPem => Authority.ExportCertificatePem();

    public static FakeCertificates Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=remolt-fake-kubernetes-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=remolt-fake-kubernetes", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        using var withKey = signed.CopyWithPrivateKey(serverKey);

        // Kestrel wants a certificate whose key is not ephemeral; a PKCS#12 round trip gives it one.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var authority = X509CertificateLoader.LoadCertificate(ca.RawData);
        return new FakeCertificates(authority, server);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this CA only (for an HttpClient in the tests).</summary>
    public bool Trusts(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
