using System.Text;

namespace Aria.Metrics.Meters;

/// <summary>
/// OpenTelemetry's Prometheus compatibility rules for names: what an instrument and its tags are called once exposed.
/// The metric name is the instrument's name with every character Prometheus does not allow turned into <c>_</c> (runs
/// of them collapsed), then the unit as a word (<c>s</c> becomes <c>_seconds</c>, <c>By</c> <c>_bytes</c>,
/// <c>x/y</c> <c>_x_per_y</c>, a dimensionless <c>1</c> <c>_ratio</c> on gauges), annotations in braces dropped, and
/// <c>_total</c> on monotonic counters, which the registry adds itself.
/// </summary>
internal static class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["TiBy"] = "tebibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    /// <summary>
    /// The metric name of an instrument, without the <c>_total</c> of a counter; null when nothing of a valid name
    /// remains (a name of symbols only).
    /// </summary>
    public static string? MetricName(string instrumentName, string? unit, bool isGauge)
    {
        string name = Sanitize(instrumentName, allowColon: true);
        if (name.Length == 0)
        {
            return null;
        }

        string suffix = UnitSuffix(unit, isGauge);
        if (suffix.Length != 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name = name + "_" + suffix;
        }

        return name;
    }

    /// <summary>The label name of a tag key, or null when nothing of a valid name remains.</summary>
    public static string? LabelName(string key)
    {
        string name = Sanitize(key, allowColon: false);
        return name.Length == 0 ? null : name;
    }

    /// <summary>The unit as a name suffix: <c>seconds</c>, <c>bytes_per_second</c>, <c>ratio</c>, or empty.</summary>
    public static string UnitSuffix(string? unit, bool isGauge)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return string.Empty;
        }

        string plain = RemoveAnnotations(unit).Trim();
        if (plain == "1")
        {
            return isGauge ? "ratio" : string.Empty;
        }

        int slash = plain.IndexOf('/', StringComparison.Ordinal);
        string main = slash < 0 ? plain : plain[..slash];
        string per = slash < 0 ? string.Empty : plain[(slash + 1)..];
        string mainWord = main.Length == 0 ? string.Empty : Units.TryGetValue(main, out string? word) ? word : Sanitize(main, allowColon: false).Trim('_');
        string perWord = per.Length == 0 ? string.Empty : PerUnits.TryGetValue(per, out string? perName) ? perName : Sanitize(per, allowColon: false).Trim('_');
        return (mainWord, perWord) switch
        {
            ("", "") => string.Empty,
            (_, "") => mainWord,
            ("", _) => "per_" + perWord,
            _ => mainWord + "_per_" + perWord,
        };
    }

    /// <summary>
    /// Turns every character a Prometheus name may not hold into <c>_</c>, collapses runs of <c>_</c> to one, and puts
    /// <c>_</c> before a leading digit; a name of <c>_</c> alone counts as empty.
    /// </summary>
    private static string Sanitize(string text, bool allowColon)
    {
        var name = new StringBuilder(text.Length + 1);
        foreach (char c in text)
        {
            char kept = char.IsAsciiLetterOrDigit(c) || (allowColon && c == ':') ? c : '_';
            if (kept == '_' && name.Length != 0 && name[^1] == '_')
            {
                continue;
            }

            name.Append(kept);
        }

        if (name.Length != 0 && char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, '_');
        }

        string result = name.ToString();
        return result.Trim('_').Length == 0 ? string.Empty : result;
    }

    /// <summary>Drops every <c>{annotation}</c> of a UCUM unit: <c>{request}</c> names what is counted, not a unit.</summary>
    private static string RemoveAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var plain = new StringBuilder(unit.Length);
        int depth = 0;
        foreach (char c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                plain.Append(c);
            }
        }

        return plain.ToString();
    }
}
