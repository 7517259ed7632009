using System.Runtime.CompilerServices;

namespace Aria.Metrics.Meters;

/// <summary>
/// Where the tags of one call site's measurements go: for each of the family's labels, the position of its tag in the
/// tag span (or -1 when the call has no such tag). Call sites nearly always pass the same key strings in the same
/// order, so a layout is recognised by comparing references, without reading or hashing a key.
/// </summary>
internal sealed class TagLayout
{
    private readonly string[] _keys;

    public TagLayout(string[] keys, int[] tagOfLabel, bool dropsTags)
    {
        _keys = keys;
        TagOfLabel = tagOfLabel;
        DropsTags = dropsTags;
    }

    /// <summary>For each label of the family, in order, the position of its tag, or -1.</summary>
    public int[] TagOfLabel { get; }

    /// <summary>Whether calls of this layout carry tags the family has no label for, which are left out.</summary>
    public bool DropsTags { get; }

    /// <summary>Whether <paramref name="tags"/> has exactly this layout's key instances, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MatchesByIdentity(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string[] keys = _keys;
        if (tags.Length != keys.Length)
        {
            return false;
        }

        for (int i = 0; i < keys.Length; i++)
        {
            if (!ReferenceEquals(tags[i].Key, keys[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="tags"/> has this layout's keys, as text, in order.</summary>
    public bool MatchesByValue(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string[] keys = _keys;
        if (tags.Length != keys.Length)
        {
            return false;
        }

        for (int i = 0; i < keys.Length; i++)
        {
            if (!string.Equals(tags[i].Key, keys[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
