using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>
/// Checks a scrape's Authorization header against HTTP Basic credentials, a bearer token, or either. Secrets are kept
/// only as SHA-256 digests, and the presented credential is digested and compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>: the time taken reveals neither the secret nor its length.
/// </summary>
internal sealed class ScrapeAuthorization
{
    private const int DigestSize = SHA256.HashSizeInBytes;
    private const int StackLimit = 512;

    private readonly byte[]? _basicDigest;
    private readonly byte[]? _bearerDigest;

    private ScrapeAuthorization(byte[]? basicDigest, byte[]? bearerDigest, StringValues challenge)
    {
        _basicDigest = basicDigest;
        _bearerDigest = bearerDigest;
        Challenge = challenge;
    }

    /// <summary>The WWW-Authenticate values of a 401: one challenge per scheme accepted.</summary>
    public StringValues Challenge { get; }

    /// <summary>The check the options ask for, or null when scrapes need no credentials.</summary>
    public static ScrapeAuthorization? Create(MetricsServerOptions options)
    {
        if (!options.RequiresAuthorization)
        {
            return null;
        }

        byte[]? basic = string.IsNullOrEmpty(options.BasicAuthUsername)
            ? null
            : SHA256.HashData(Encoding.UTF8.GetBytes($"{options.BasicAuthUsername}:{options.BasicAuthPassword}"));
        byte[]? bearer = string.IsNullOrEmpty(options.BearerToken) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.BearerToken));
        string[] challenges = (basic, bearer) switch
        {
            (not null, not null) => ["Basic realm=\"metrics\", charset=\"UTF-8\"", "Bearer realm=\"metrics\""],
            (not null, null) => ["Basic realm=\"metrics\", charset=\"UTF-8\""],
            _ => ["Bearer realm=\"metrics\""],
        };
        return new ScrapeAuthorization(basic, bearer, new StringValues(challenges));
    }

    /// <summary>True when the header carries credentials that match one of the configured schemes.</summary>
    public bool IsAuthorized(StringValues authorization)
    {
        if (authorization.Count != 1)
        {
            return false;
        }

        ReadOnlySpan<char> header = authorization[0].AsSpan().Trim();
        int space = header.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> scheme = header[..space];
        ReadOnlySpan<char> credentials = header[(space + 1)..].Trim();
        if (_basicDigest is not null && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return Matches(credentials, _basicDigest, fromBase64: true);
        }

        if (_bearerDigest is not null && scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return Matches(credentials, _bearerDigest, fromBase64: false);
        }

        return false;
    }

    private static bool Matches(ReadOnlySpan<char> credentials, byte[] expectedDigest, bool fromBase64)
    {
        // Both encodings give at most as many bytes as UTF-8 of the characters; Kestrel's header limit bounds that.
        int capacity = Encoding.UTF8.GetMaxByteCount(credentials.Length);
        byte[]? rented = capacity > StackLimit ? ArrayPool<byte>.Shared.Rent(capacity) : null;
        Span<byte> bytes = rented ?? stackalloc byte[StackLimit];
        try
        {
            int length;
            if (fromBase64)
            {
                if (!Convert.TryFromBase64Chars(credentials, bytes, out length))
                {
                    return false;
                }
            }
            else
            {
                length = Encoding.UTF8.GetBytes(credentials, bytes);
            }

            Span<byte> digest = stackalloc byte[DigestSize];
            SHA256.HashData(bytes[..length], digest);
            return CryptographicOperations.FixedTimeEquals(digest, expectedDigest);
        }
        finally
        {
            if (rented is not null)
            {
                CryptographicOperations.ZeroMemory(rented);
                ArrayPool<byte>.Shared.Return(rented);
            }
            else
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
    }
}
