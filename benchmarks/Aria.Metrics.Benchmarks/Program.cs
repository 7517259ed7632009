using Aria.Metrics.Benchmarks;
using BenchmarkDotNet.Running;

if (args.Contains("--gates"))
{
    return Aria.Metrics.Benchmarks.Gates.GateRunner.Run();
}

if (args.Contains("--scaling"))
{
    return Aria.Metrics.Benchmarks.Gates.GateRunner.Run(scalingOnly: true);
}

BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(args, SuiteConfig.Create());
return 0;
