using System.Runtime.CompilerServices;

namespace Aria.Metrics.Labels;

/// <summary>
/// Compares label value sets by the identity of their strings. Callers nearly always pass the same instances
/// (literals are interned, label values are usually cached), so a lookup that only hashes and compares references
/// answers most calls without reading a character; the value comparer backs it up for every other string.
/// </summary>
internal sealed class IdentityKeyComparer : IEqualityComparer<string[]>, IAlternateEqualityComparer<ReadOnlySpan<string>, string[]>
{
    public static readonly IdentityKeyComparer Instance = new();

    public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && Equals(y.AsSpan(), x);

    public int GetHashCode(string[] obj) => GetHashCode(obj.AsSpan());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(ReadOnlySpan<string> alternate, string[] other)
    {
        if (alternate.Length != other.Length)
        {
            return false;
        }

        for (int i = 0; i < alternate.Length; i++)
        {
            if (!ReferenceEquals(alternate[i], other[i]))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetHashCode(ReadOnlySpan<string> alternate)
    {
        // Object hash codes are already well spread; a multiply-rotate keeps the order of values significant.
        uint hash = 2166136261;
        foreach (string value in alternate)
        {
            hash = uint.RotateLeft(hash * 0x9E3779B1u, 13) ^ (uint)RuntimeHelpers.GetHashCode(value);
        }

        return (int)hash;
    }

    public string[] Create(ReadOnlySpan<string> alternate) => alternate.ToArray();
}
