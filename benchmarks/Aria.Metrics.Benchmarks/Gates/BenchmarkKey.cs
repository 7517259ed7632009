using BenchmarkDotNet.Running;

namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>One benchmark case a gate reads: a class, a method and the parameter values that pick the case.</summary>
internal sealed record BenchmarkKey(Type Type, string Method, params (string Name, object Value)[] Parameters)
{
    public bool Matches(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type == Type
        && benchmarkCase.Descriptor.WorkloadMethod.Name == Method
        && Parameters.All(p => Equals(benchmarkCase.Parameters[p.Name], p.Value));

    public override string ToString() =>
        Parameters.Length == 0
            ? $"{Type.Name}.{Method}"
            : $"{Type.Name}.{Method}({string.Join(", ", Parameters.Select(p => $"{p.Name}={p.Value}"))})";
}
