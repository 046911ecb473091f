using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RemoltBlazor.Sandboxes.Local.Pty;

/// <summary>
/// The few libc calls a PTY needs (no PTY package is served). The master descriptor is held by a
/// <see cref="SafeSocketHandle"/> from the moment it is opened: that handle is what the socket engine reads it through
/// (see <see cref="PtyStream"/>), and passing a SafeHandle to a call keeps the descriptor from being closed (and its
/// number reused) while the call runs.
/// </summary>
internal static partial class PtyNative
{
    // Linux values (x86-64 and arm64 share them).
    private const int O_RDWR = 0x2;
    private const int O_NOCTTY = 0x100;
    private const int O_CLOEXEC = 0x80000;
    private const nuint TIOCSWINSZ = 0x5414;

    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int ESRCH = 3;

    /// <summary>
    /// Opens a new master: O_NOCTTY so it never becomes the server's controlling terminal, O_CLOEXEC so no other child
    /// the server starts inherits it (a leaked master keeps a terminal alive after its owner closed it).
    /// </summary>
    public static SafeSocketHandle OpenMaster()
    {
        var fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
        {
            throw Failure("open /dev/ptmx");
        }

        var master = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            if (grantpt(master) != 0)
            {
                throw Failure("grantpt");
            }

            if (unlockpt(master) != 0)
            {
                throw Failure("unlockpt");
            }

            return master;
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    public static string SlaveName(SafeSocketHandle master)
    {
        Span<byte> name = stackalloc byte[128];
        var error = ptsname_r(master, name, (nuint)name.Length);
        if (error != 0)
        {
            throw new IOException($"ptsname_r failed: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        return System.Text.Encoding.UTF8.GetString(name[..name.IndexOf((byte)0)]);
    }

    public static void SetSize(SafeSocketHandle master, int columns, int rows)
    {
        var size = new WinSize { Rows = (ushort)rows, Columns = (ushort)columns };
        if (ioctl(master, TIOCSWINSZ, ref size) != 0)
        {
            throw Failure("ioctl(TIOCSWINSZ)");
        }
    }

    /// <summary>Sends a signal; false when no such process (group) exists any more.</summary>
    public static bool Signal(int pid, int signal)
    {
        if (kill(pid, signal) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == ESRCH ? false : throw new IOException($"kill({pid}, {signal}) failed: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    private static IOException Failure(string call) =>
        new($"{call} failed: {Marshal.GetLastPInvokeErrorMessage()}");

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int grantpt(SafeHandle fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlockpt(SafeHandle fd);

    // Returns the error number itself rather than setting errno.
    [LibraryImport("libc")]
    private static partial int ptsname_r(SafeHandle fd, Span<byte> buffer, nuint length);

    // ioctl is variadic; its third argument is a pointer here, passed in a register on x86-64 and arm64 alike.
    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(SafeHandle fd, nuint request, ref WinSize size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
