using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/Fitten.Benchmarks.LoadBalancing -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Fitten.Benchmarks.LoadBalancing.PickBenchmarks).Assembly).Run(args);
