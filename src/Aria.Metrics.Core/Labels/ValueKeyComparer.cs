namespace Aria.Metrics.Labels;

/// <summary>Compares label value sets by their text: the authoritative identity of a series.</summary>
internal sealed class ValueKeyComparer : IEqualityComparer<string[]>, IAlternateEqualityComparer<ReadOnlySpan<string>, string[]>
{
    public static readonly ValueKeyComparer Instance = new();

    public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && Equals(y.AsSpan(), x);

    public int GetHashCode(string[] obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<string> alternate, string[] other)
    {
        if (alternate.Length != other.Length)
        {
            return false;
        }

        for (int i = 0; i < alternate.Length; i++)
        {
            if (!string.Equals(alternate[i], other[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(ReadOnlySpan<string> alternate)
    {
        var hash = default(HashCode);
        foreach (string value in alternate)
        {
            // Null only reaches here from a caller's mistake; it hashes so that the lookup misses and validation reports it.
            hash.Add(value is null ? 0 : string.GetHashCode(value.AsSpan()));
        }

        return hash.ToHashCode();
    }

    public string[] Create(ReadOnlySpan<string> alternate) => alternate.ToArray();
}
