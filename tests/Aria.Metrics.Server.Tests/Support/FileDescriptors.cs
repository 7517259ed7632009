using System.Globalization;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>
/// The process's limit on open files, which a test with thousands of sockets must fit in: each loopback connection
/// costs two descriptors here (the client's and the server's). The .NET runtime raises the soft limit to the hard
/// one at start-up, and tests/run.sh raises the hard one when it may.
/// </summary>
internal static class FileDescriptors
{
    /// <summary>The soft limit on open files; null where /proc does not say (not Linux).</summary>
    public static long? Limit()
    {
        const string path = "/proc/self/limits";
        if (!File.Exists(path))
        {
            return null;
        }

        // "Max open files            20000                20000                files"
        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        string[]? fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 0 } && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long soft)
            ? soft
            : fields is { Length: > 0 } && fields[0] == "unlimited" ? long.MaxValue : null;
    }

    /// <summary>How many descriptors the process has open now.</summary>
    public static int Open() => Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : 0;
}
