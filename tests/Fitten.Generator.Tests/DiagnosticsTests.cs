namespace Fitten.Generator.Tests;

/// <summary>One test per diagnostic id: each unsupported contract shape fails the build with a clear message.</summary>
public class DiagnosticsTests
{
    private static string Contract(string members, string name = "test.svc", string extra = "") => $$"""
        using System.Threading;
        using System.Threading.Tasks;
        using Fitten;
        namespace T;
        [FittenService("{{name}}")]
        public interface ISvc
        {
        {{members}}
        }
        public class Plain { public int X { get; set; } }
        {{extra}}
        """;

    private static void AssertSingle(string source, string id, string messagePart)
    {
        var diagnostics = GeneratorHarness.Diagnose(source);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.NotEqual(Microsoft.CodeAnalysis.Location.None, diagnostic.Location);
    }

    [Fact]
    public void GenericMethod_FIT001() => AssertSingle(Contract("ValueTask<int> GetAsync<T>(int id);"), "FIT001", "'GetAsync' is generic");

    [Fact]
    public void RefParameter_FIT002() => AssertSingle(Contract("ValueTask<int> GetAsync(ref int id);"), "FIT002", "Parameter 'id'");

    [Fact]
    public void OutParameter_FIT002() => AssertSingle(Contract("ValueTask<int> GetAsync(out int id);"), "FIT002", "Parameter 'id'");

    [Fact]
    public void Overload_FIT003() => AssertSingle(Contract("ValueTask<int> GetAsync(int id);\n ValueTask<int> GetAsync(string name);"), "FIT003", "'GetAsync' is declared more than once");

    [Fact]
    public void SynchronousReturn_FIT004() => AssertSingle(Contract("int Get(int id);"), "FIT004", "must return ValueTask");

    [Fact]
    public void CancellationTokenNotLast_FIT005() => AssertSingle(Contract("ValueTask<int> GetAsync(CancellationToken ct, int id);"), "FIT005", "'GetAsync'");

    [Fact]
    public void InvalidServiceName_FIT006() => AssertSingle(Contract("ValueTask<int> GetAsync(int id);", name: "shop orders"), "FIT006", "'shop orders'");

    [Fact]
    public void GenericInterface_FIT007()
        => AssertSingle("""
            using System.Threading.Tasks;
            using Fitten;
            namespace T;
            [FittenService("test.svc")]
            public interface ISvc<T> { ValueTask<int> GetAsync(int id); }
            """, "FIT007", "'ISvc'");

    [Fact]
    public void ParameterTypeNotEncodable_FIT008() => AssertSingle(Contract("ValueTask<int> SaveAsync(Plain value);"), "FIT008", "Parameter 'value' (T.Plain is not [MemoryPackable])");

    [Fact]
    public void ResultTypeNotEncodable_FIT008() => AssertSingle(Contract("Task<Plain> GetAsync(int id);"), "FIT008", "The result of 'GetAsync'");

    [Fact]
    public void NestedCollectionOfUnencodable_FIT008()
        => AssertSingle(Contract("ValueTask<int> SaveAsync(System.Collections.Generic.List<Plain> values);"), "FIT008", "T.Plain is not [MemoryPackable]");

    [Fact]
    public void Property_FIT009() => AssertSingle(Contract("int Count { get; }"), "FIT009", "'Count' is not a method");

    [Fact]
    public void InvalidMethodName_FIT010() => AssertSingle(Contract("ValueTask<int> Ünïcode();"), "FIT010", "'Ünïcode'");

    [Fact]
    public void ValidContract_NoDiagnostics()
        => Assert.Empty(GeneratorHarness.Diagnose(Contract("ValueTask<int> GetAsync(int id, string? name, System.Guid key, CancellationToken ct = default);\n Task DoAsync();")));
}
