using System.Runtime.CompilerServices;

namespace Aria.Metrics.Server.Tests.Support;

/// <summary>What this test assembly sets up once, as it loads, before any test runs.</summary>
internal static class TestAssemblyStart
{
#pragma warning disable CA2255 // A test assembly is loaded by its runner only; this is the one hook that runs before every test.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => RunnerPoolHeadroom.Ensure();
}
