using Xunit;

namespace Aria.Metrics.TestSupport;

/// <summary>A fact that needs Linux procfs: reported as skipped, with the reason, on any other system.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "procfs, which the process collector reads, exists only on Linux";
        }
    }
}
