using System.Runtime.CompilerServices;

namespace RemoltBlazor.Web.Tests.Proxy;

/// <summary>upstream.js, the stand-in HTTP + WebSocket server, read from next to this file.</summary>
internal static class UpstreamScript
{
    public static string PathOnHost => Path.Combine(Path.GetDirectoryName(ThisFile())!, "upstream.js");

    public static byte[] Bytes => File.ReadAllBytes(PathOnHost);

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
