using System.Globalization;
using System.IO.Enumeration;
using Microsoft.Win32.SafeHandles;

namespace Aria.Metrics.Collectors;

/// <summary>
/// Reads the calling process's figures from Linux procfs, the way client_golang's procfs package does. Each read goes
/// into a buffer on the caller's stack and is parsed as bytes, so concurrent scrapes share nothing and wait on nothing;
/// a read that fails (no procfs, a file gone) reports false instead of throwing into the scrape.
/// </summary>
internal static class ProcFs
{
    /// <summary>
    /// Clock ticks per second in /proc/self/stat. The kernel ABI fixes USER_HZ at 100 on every architecture .NET runs on;
    /// client_golang's procfs hard-codes the same value rather than calling sysconf.
    /// </summary>
    public const double UserHz = 100;

    // /proc/self/stat is one line of 52 numbers at most 20 digits each, plus a command name of at most 64 bytes.
    private const int StatBufferSize = 2048;

    // /proc/self/limits is a table of 17 lines of about 80 bytes each.
    private const int LimitsBufferSize = 4096;

    private static readonly EnumerationOptions FdEnumeration = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Whether this process can read its own figures from procfs.</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>Reads CPU times, start time, virtual size and resident pages from <c>/proc/self/stat</c>.</summary>
    public static bool TryReadStat(out ProcessStat stat)
    {
        Span<byte> buffer = stackalloc byte[StatBufferSize];
        int length = Read("/proc/self/stat", buffer);
        if (length <= 0)
        {
            stat = default;
            return false;
        }

        return TryParseStat(buffer[..length], out stat);
    }

    /// <summary>Parses the line of <c>/proc/[pid]/stat</c>.</summary>
    internal static bool TryParseStat(ReadOnlySpan<byte> line, out ProcessStat stat)
    {
        stat = default;

        // The command name (field 2) is in parentheses and may itself hold spaces or parentheses: count from the last ')'.
        int close = line.LastIndexOf((byte)')');
        if (close < 0 || close + 2 > line.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[(close + 2)..];
        long utime = 0, stime = 0, starttime = 0, vsize = 0, rss = 0;
        int found = 0;
        for (int field = 3; field <= 24 && !rest.IsEmpty; field++)
        {
            int space = rest.IndexOfAny((byte)' ', (byte)'\n');
            ReadOnlySpan<byte> token = space < 0 ? rest : rest[..space];
            rest = space < 0 ? default : rest[(space + 1)..];
            if (field is not (14 or 15 or 22 or 23 or 24))
            {
                continue;
            }

            if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                return false;
            }

            switch (field)
            {
                case 14: utime = value; break;
                case 15: stime = value; break;
                case 22: starttime = value; break;
                case 23: vsize = value; break;
                default: rss = value; break;
            }

            found++;
        }

        if (found != 5)
        {
            return false;
        }

        stat = new ProcessStat(utime, stime, starttime, vsize, rss);
        return true;
    }

    /// <summary>Reads the soft limit on open files from <c>/proc/self/limits</c>; <c>unlimited</c> reads as +Inf.</summary>
    public static bool TryReadMaxOpenFiles(out double limit)
    {
        Span<byte> buffer = stackalloc byte[LimitsBufferSize];
        int length = Read("/proc/self/limits", buffer);
        if (length <= 0)
        {
            limit = 0;
            return false;
        }

        return TryParseMaxOpenFiles(buffer[..length], out limit);
    }

    /// <summary>Parses the soft limit on open files out of the table of <c>/proc/[pid]/limits</c>.</summary>
    internal static bool TryParseMaxOpenFiles(ReadOnlySpan<byte> text, out double limit)
    {
        limit = 0;
        ReadOnlySpan<byte> key = "Max open files"u8;
        int at = text.IndexOf(key);
        if (at < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = text[(at + key.Length)..].TrimStart((byte)' ');
        int end = rest.IndexOfAny((byte)' ', (byte)'\n');
        ReadOnlySpan<byte> soft = end < 0 ? rest : rest[..end];
        if (soft.SequenceEqual("unlimited"u8))
        {
            limit = double.PositiveInfinity;
            return true;
        }

        if (!long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return false;
        }

        limit = value;
        return true;
    }

    /// <summary>
    /// Counts the open file descriptors without making a string per entry; like client_golang, the count includes the
    /// descriptor the enumeration itself holds open. Returns -1 when the directory cannot be read.
    /// </summary>
    /// <remarks>
    /// It counts <c>/proc/self/fdinfo</c>, which has one entry per descriptor as <c>/proc/self/fd</c> does: the entries of
    /// <c>fd</c> are symbolic links, which the framework's enumerator follows with a stat() each (about 25 µs per descriptor
    /// here), while those of <c>fdinfo</c> are plain files it does not need to look at (3 µs).
    /// </remarks>
    public static int CountOpenFiles()
    {
        try
        {
            int count = 0;
            var entries = new FileSystemEnumerable<bool>("/proc/self/fdinfo", static (ref FileSystemEntry _) => true, FdEnumeration);
            foreach (bool _ in entries)
            {
                count++;
            }

            return count;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Reads the boot time (seconds since the Unix epoch) from the <c>btime</c> line of <c>/proc/stat</c>. That file grows
    /// with the processor and interrupt counts, so it is read whole: callers read it once, since it never changes.
    /// </summary>
    public static bool TryReadBootTime(out long seconds)
    {
        seconds = 0;
        byte[] text;
        try
        {
            text = File.ReadAllBytes("/proc/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        ReadOnlySpan<byte> key = "\nbtime "u8;
        int at = text.AsSpan().IndexOf(key);
        if (at < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = text.AsSpan(at + key.Length);
        int end = rest.IndexOf((byte)'\n');
        return long.TryParse(end < 0 ? rest : rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out seconds);
    }

    /// <summary>Reads a whole procfs file into <paramref name="buffer"/>: the length read, or -1 when it fails or does not fit.</summary>
    private static int Read(string path, Span<byte> buffer)
    {
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            int total = 0;
            while (total < buffer.Length)
            {
                int read = RandomAccess.Read(handle, buffer[total..], total);
                if (read == 0)
                {
                    return total;
                }

                total += read;
            }

            // A full buffer means the file may have been cut short: better no value than a wrong one.
            return -1;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}

/// <summary>The fields of <c>/proc/self/stat</c> the process metrics need, in the kernel's units.</summary>
/// <param name="UserTicks">CPU time in user mode, in <see cref="ProcFs.UserHz"/> ticks.</param>
/// <param name="SystemTicks">CPU time in kernel mode, in ticks.</param>
/// <param name="StartTicks">When the process started, in ticks after boot.</param>
/// <param name="VirtualBytes">The size of the virtual address space, in bytes.</param>
/// <param name="ResidentPages">The resident set size, in pages.</param>
internal readonly record struct ProcessStat(long UserTicks, long SystemTicks, long StartTicks, long VirtualBytes, long ResidentPages);
