using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Fitten.Generator.Model
{
    /// <summary>
    /// A diagnostic kept as plain values (Location and Diagnostic are not equatable across compilations), turned
    /// back into a Diagnostic when reported.
    /// </summary>
    internal sealed record DiagnosticModel(string Id, string Argument, string? Argument2, string? FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static DiagnosticModel Create(DiagnosticDescriptor descriptor, Location? location, string argument, string? argument2 = null)
        {
            var span = location?.GetLineSpan();
            return new DiagnosticModel(descriptor.Id, argument, argument2, location?.SourceTree?.FilePath, location?.SourceSpan ?? default, span?.Span ?? default);
        }

        public Diagnostic ToDiagnostic()
        {
            var location = FilePath is null ? Location.None : Location.Create(FilePath, Span, LineSpan);
            return Diagnostic.Create(Descriptors.ById(Id), location, Argument, Argument2);
        }
    }
}
