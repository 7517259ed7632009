using Aria.Metrics.Exposition;
using Microsoft.Extensions.Primitives;

namespace Aria.Metrics.Server;

/// <summary>What a scrape answers with: the format of the body and the Content-Type that names it.</summary>
/// <param name="Format">The format the registry is written in.</param>
/// <param name="ContentType">
/// The header value: one format, its version, and for the 1.0.0 text formats the escaping scheme (pre-built, so that
/// answering allocates nothing).
/// </param>
internal readonly record struct NegotiatedFormat(ExpositionFormat Format, StringValues ContentType);
