using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RemoltBlazor.Sandboxes.Local;

/// <summary>
/// The few libc calls .NET does not offer: FIFOs (mkfifo, an open that never follows a symlink and can be non-blocking),
/// ownership for the sandbox's uid, and the effective uid.
/// </summary>
internal static partial class LocalNative
{
    private const int ORdOnly = 0x0;
    private const int OWrOnly = 0x1;
    private const int ORdWr = 0x2;
    private const int ONonBlock = 0x800;
    private const int OPath = 0x200000;
    private const int SocketType = 0xC000;
    private const int FileTypeMask = 0xF000;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;

    // The asm-generic value everywhere .NET runs but x86 (arm64, riscv64 ...): 0100000; x86's is 0400000.
    private static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 0x20000 : 0x8000;
    private const int OCloExec = 0x80000;
    private const int ENXIO = 6;
    private const int EEXIST = 17;

    public static uint EffectiveUid => geteuid();

    public static void MakeFifo(string path, UnixFileMode mode)
    {
        if (mkfifo(path, (uint)mode) != 0)
        {
            throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>mkdir(2): false when the path exists already.</summary>
    public static bool TryMakeDirectory(string path, UnixFileMode mode)
    {
        if (mkdir(path, (uint)mode) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == EEXIST ? false : throw new IOException($"mkdir {path} failed: errno {errno}");
    }

    /// <summary>chmod(2) (File.SetUnixFileMode without the analyzer's Windows warning: this runtime is Linux only).</summary>
    public static void Chmod(string path, UnixFileMode mode)
    {
        if (chmod(path, (uint)mode) != 0)
        {
            throw new IOException($"chmod {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static void Chown(string path, int uid, int gid)
    {
        if (lchown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Opens a FIFO (blocking until its other end opens), never through a symlink, not inherited by children.</summary>
    public static SafeFileHandle OpenFifo(string path, bool write) => Open(path, (write ? OWrOnly : ORdOnly) | ONoFollow | OCloExec);

    /// <summary>
    /// A handle on the unix socket at <paramref name="path"/> itself (O_PATH), never through a symlink in its last
    /// component, inherited by children (not O_CLOEXEC): a child connects to <c>/proc/self/fd/N</c>, which reaches
    /// exactly that socket whatever its folder holds by then.
    /// </summary>
    /// <exception cref="IOException">Nothing there, or not a socket (a symlink, a file).</exception>
    public static SafeFileHandle OpenSocketPath(string path)
    {
        var handle = Open(path, OPath | ONoFollow);
        var buffer = new byte[256];
        if (statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxType, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException($"statx {path} failed: errno {errno}");
        }

        // struct statx: stx_mode (u16) at offset 28, the same on every architecture.
        if ((BitConverter.ToUInt16(buffer, 28) & FileTypeMask) != SocketType)
        {
            handle.Dispose();
            throw new IOException($"{path} is not a socket.");
        }

        return handle;
    }

    /// <summary>
    /// Opens a FIFO for writing without waiting; null when nobody has it open for reading (ENXIO): the sandbox's init,
    /// which holds its control FIFO open for as long as it lives, is gone.
    /// </summary>
    public static SafeFileHandle? TryOpenFifoForWriting(string path)
    {
        var fd = open(path, OWrOnly | ONonBlock | ONoFollow | OCloExec, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ENXIO || errno == 2 ? null : throw new IOException($"open {path} failed: errno {errno}");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Opens and closes both ends of a FIFO at once (never blocks), which completes an open of it that waits for a
    /// partner: how a request that will never be answered (a cancelled one, a dead sandbox) is let go.
    /// </summary>
    public static void ReleaseFifo(string path)
    {
        var fd = open(path, ORdWr | ONonBlock | ONoFollow | OCloExec, 0);
        if (fd >= 0)
        {
            close(fd);
        }
    }

    private static SafeFileHandle Open(string path, int flags)
    {
        var fd = open(path, flags, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw new IOException($"open {path} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkfifo(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdir(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chmod(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
