using System.Text;
using Fitten.Generator.Model;

namespace Fitten.Generator.Emitting
{
    /// <summary>
    /// Writes a method's JsonArguments: its parameters as one JSON object (the JSON codec and the default HTTP
    /// route), and, when the method has a route of its own, the binder reading route, query and body. Values go
    /// through the caller's JsonSerializerOptions, so a user's source-generated context keeps it reflection-free.
    /// </summary>
    internal static class JsonEmitter
    {
        private const string Args = "global::Fitten.Codecs.JsonArgs";
        private const string Options = "global::System.Text.Json.JsonSerializerOptions";

        public static void EmitArguments(CodeWriter w, MethodModel method, string request)
        {
            w.Line($"/// <summary>The parameters of {method.ClrName} as JSON: one object, a property per parameter.</summary>");
            w.Line($"private sealed class {request}Json : global::Fitten.Codecs.JsonArguments<{request}>");
            w.Open();
            w.Line($"public static readonly {request}Json Instance = new();");
            w.Line();
            var names = new StringBuilder();
            foreach (var p in method.Parameters)
            {
                names.Append(names.Length == 0 ? string.Empty : ", ").Append("global::System.Text.Json.JsonEncodedText.Encode(").Append(ContractEmitter.Literal(p.Name)).Append(')');
            }

            w.Line($"private static readonly global::System.Text.Json.JsonEncodedText[] __names = [{names}];");
            w.Line();
            w.Line($"public override void Write(global::System.Text.Json.Utf8JsonWriter __writer, {request} __value, {Options} __options)");
            w.Open();
            w.Line("__writer.WriteStartObject();");
            for (int i = 0; i < method.Parameters.Count; i++)
            {
                var p = method.Parameters[i];
                w.Line($"{Args}.WriteValue<{p.Type}>(__writer, __names[{i}], __value.@{p.Name}, __options);");
            }

            w.Line("__writer.WriteEndObject();");
            w.Close();
            w.Line();
            w.Line($"public override {request} Read(ref global::System.Text.Json.Utf8JsonReader __reader, {Options} __options)");
            w.Open();
            for (int i = 0; i < method.Parameters.Count; i++)
            {
                var p = method.Parameters[i];
                w.Line($"{p.Type} @{p.Name} = {p.DefaultValue ?? "default!"};");
                if (p.IsRequired)
                {
                    w.Line($"bool __has{i} = false;");
                }
            }

            w.Line($"if ({Args}.BeginObject(ref __reader))");
            w.Open();
            w.Line($"while ({Args}.NextProperty(ref __reader))");
            w.Open();
            w.Line($"switch ({Args}.Match(ref __reader, __names, __options))");
            w.Open();
            for (int i = 0; i < method.Parameters.Count; i++)
            {
                var p = method.Parameters[i];
                w.Line($"case {i}:");
                w.Line($"    @{p.Name} = {Args}.ReadValue<{p.Type}>(ref __reader, __options);");
                if (p.IsRequired)
                {
                    w.Line($"    __has{i} = true;");
                }

                w.Line("    break;");
            }

            w.Line("default:");
            w.Line("    __reader.Skip();");
            w.Line("    break;");
            w.Close();
            w.Close();
            w.Close();
            w.Line();
            for (int i = 0; i < method.Parameters.Count; i++)
            {
                var p = method.Parameters[i];
                if (p.IsRequired)
                {
                    w.Line($"if (!__has{i}) throw {Args}.Missing({ContractEmitter.Literal(p.Name)});");
                }
            }

            w.Line($"return new {request}({ContractEmitter.Arguments(method, string.Empty)});");
            w.Close();
            if (method.HttpMethod is not null)
            {
                w.Line();
                EmitHttpBinder(w, method, request);
            }

            w.Close();
        }

        private static void EmitHttpBinder(CodeWriter w, MethodModel method, string request)
        {
            w.Line($"public override {request} ReadHttp(global::Fitten.Codecs.IHttpArguments __http, {Options} __options)");
            w.Open();
            foreach (var p in method.Parameters)
            {
                string name = ContractEmitter.Literal(p.Name);
                string required = p.IsRequired ? "true" : "false";
                if (p.HttpSource == "Body")
                {
                    w.Line($"var @{p.Name} = __http.ReadBody({Args}.TypeInfo<{p.TypeOf}>(__options), {required})!;");
                    continue;
                }

                string raw = p.HttpSource == "Route" ? $"__http.GetRouteValue({name})" : $"__http.GetQueryValue({name})";
                string parse = p.ParseKind switch
                {
                    ParseKind.NullableParsable => $"{Args}.ParseNullable<{Underlying(p.TypeOf)}>({raw}, {name})",
                    ParseKind.Enum => $"{Args}.ParseEnum<{p.TypeOf}>({raw}, {name}, {required})",
                    ParseKind.NullableEnum => $"{Args}.ParseNullableEnum<{Underlying(p.TypeOf)}>({raw}, {name})",
                    _ => $"{Args}.Parse<{p.TypeOf}>({raw}, {name}, {required})!",
                };
                if (p.DefaultValue is not null)
                {
                    // Absent means the declared default, not default(T).
                    w.Line($"var @{p.Name} = {raw} is null ? {p.DefaultValue} : {parse};");
                }
                else
                {
                    w.Line($"var @{p.Name} = {parse};");
                }
            }

            w.Line($"return new {request}({ContractEmitter.Arguments(method, string.Empty)});");
            w.Close();
        }

        /// <summary>T of "T?" for a nullable value type written as "global::X?".</summary>
        private static string Underlying(string typeOf) => typeOf.EndsWith("?") ? typeOf.Substring(0, typeOf.Length - 1) : typeOf;
    }
}
