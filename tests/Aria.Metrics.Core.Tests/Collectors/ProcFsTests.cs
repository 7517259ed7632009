using System.Text;
using Aria.Metrics.Collectors;

namespace Aria.Metrics.Tests.Collectors;

/// <summary>The procfs parsers, on lines the kernel could write.</summary>
public sealed class ProcFsTests
{
    // A real /proc/self/stat line; fields 14, 15, 22, 23 and 24 are utime 137, stime 21, starttime 81925,
    // vsize 53749485568 and rss 7788.
    private const string StatTail =
        "R 12274 12271 5383 0 -1 4194304 1781 0 0 0 137 21 0 0 20 0 8 0 81925 53749485568 7788 18446744073709551615 "
        + "93936197329296 93936197376752 140724547086672 0 0 0 0 4096 148734 0 0 0 17 1 0 0 0 0 0 93936197386480 "
        + "93936197388232 93936804462592 140724547090778 140724547090811 140724547090811 140724547092439 0\n";

    [Theory]
    [InlineData("12328 (dotnet) ")]
    [InlineData("12328 (a b) c) ")]
    [InlineData("12328 ((x)) ")]
    [InlineData("12328 () ")]
    public void The_stat_line_is_parsed_whatever_the_command_name(string head)
    {
        Assert.True(ProcFs.TryParseStat(Encoding.ASCII.GetBytes(head + StatTail), out ProcessStat stat));

        Assert.Equal(new ProcessStat(137, 21, 81925, 53749485568, 7788), stat);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12328 (dotnet)")]
    [InlineData("12328 (dotnet) R 1 2 3")]
    [InlineData("12328 (dotnet) R 12274 12271 5383 0 -1 4194304 1781 0 0 0 x 21 0 0 20 0 8 0 81925 1 2 3")]
    public void A_short_or_garbled_stat_line_is_refused(string line) =>
        Assert.False(ProcFs.TryParseStat(Encoding.ASCII.GetBytes(line), out _));

    [Theory]
    [InlineData("1048576              1048576", 1048576)]
    [InlineData("20000                524288 ", 20000)]
    [InlineData("unlimited            unlimited", double.PositiveInfinity)]
    public void The_soft_limit_on_open_files_is_parsed(string limits, double expected)
    {
        string table =
            "Limit                     Soft Limit           Hard Limit           Units     \n"
            + "Max processes             96365                96365                processes \n"
            + $"Max open files            {limits}           files     \n"
            + "Max locked memory         8388608              8388608              bytes     \n";

        Assert.True(ProcFs.TryParseMaxOpenFiles(Encoding.ASCII.GetBytes(table), out double limit));

        Assert.Equal(expected, limit);
    }

    [Fact]
    public void A_table_without_the_open_files_line_is_refused() =>
        Assert.False(ProcFs.TryParseMaxOpenFiles("Limit Soft Limit\nMax processes 1 1\n"u8, out _));
}
