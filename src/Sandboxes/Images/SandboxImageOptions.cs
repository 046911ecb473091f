using Microsoft.Extensions.Configuration;

namespace RemoltBlazor.Sandboxes.Images;

/// <summary>
/// Building a missing sandbox image at launch. The base image, the extra CA and the code-server choice decide the
/// image's content hash exactly as <c>container/build-images.sh</c>'s options do, so an image the script built with
/// the same inputs counts as up to date.
/// </summary>
public sealed class SandboxImageOptions
{
    /// <summary>False: a launch whose image is missing fails naming the image and <c>container/build-images.sh</c>.</summary>
    [ConfigurationKeyName("REMOLT_BUILD_IMAGES")]
    public bool BuildImages { get; set; } = true;

    /// <summary>
    /// The image the sandbox base is built FROM (the script's <c>--base</c>). Unset: the one the existing base image was
    /// built from if it is here, else <c>ubuntu:24.04</c> if it is here, else the debootstrap'd
    /// <c>remolt-test-base:bookworm</c> (<c>--test-base</c>) if it is here, else <c>ubuntu:24.04</c>, pulled.
    /// </summary>
    [ConfigurationKeyName("REMOLT_BUILD_BASE")]
    public string? Base { get; set; }

    /// <summary>A CA bundle the images trust (the script's <c>--extra-ca</c>, for an intercepting proxy). Unset: <see cref="SslCertFile"/>.</summary>
    [ConfigurationKeyName("REMOLT_BUILD_EXTRA_CA")]
    public string? ExtraCa { get; set; }

    /// <summary>The bundle this process trusts, when set: builds pass it on, as <c>container/build-server-image.sh</c> does.</summary>
    [ConfigurationKeyName("SSL_CERT_FILE")]
    public string? SslCertFile { get; set; }

    /// <summary>The extra CA file in effect, or null (an empty <c>extra-ca.crt</c> in the build context).</summary>
    public string? ExtraCaFile =>
        !string.IsNullOrWhiteSpace(ExtraCa) ? ExtraCa
        : !string.IsNullOrWhiteSpace(SslCertFile) && File.Exists(SslCertFile) ? SslCertFile
        : null;
}
