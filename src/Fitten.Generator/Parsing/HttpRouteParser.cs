using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Fitten.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Fitten.Generator.Parsing
{
    /// <summary>
    /// Reads a method's [HttpGet]/[HttpPost]/[HttpPut]/[HttpDelete] attribute and decides where each parameter
    /// binds from: template names from the route, other simple types from the query string, one remaining
    /// parameter from the JSON body (POST and PUT only). Everything that would fail at run time is a diagnostic.
    /// </summary>
    internal static class HttpRouteParser
    {
        private const string RouteAttributeBase = "Fitten.HttpRouteAttribute";

        /// <summary>The route attributes on <paramref name="method"/>, as (verb, template, attribute location).</summary>
        public static List<(string Verb, string Template, Location? Location)> ReadRoutes(IMethodSymbol method)
        {
            var routes = new List<(string, string, Location?)>();
            foreach (var attribute in method.GetAttributes())
            {
                if (!DerivesFromRouteAttribute(attribute.AttributeClass) || attribute.ConstructorArguments.Length != 1)
                {
                    continue;
                }

                string verb = attribute.AttributeClass!.Name switch
                {
                    "HttpGetAttribute" => "GET",
                    "HttpPostAttribute" => "POST",
                    "HttpPutAttribute" => "PUT",
                    "HttpDeleteAttribute" => "DELETE",
                    _ => string.Empty,
                };
                if (verb.Length > 0)
                {
                    routes.Add((verb, attribute.ConstructorArguments[0].Value as string ?? string.Empty, attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation()));
                }
            }

            return routes;
        }

        /// <summary>
        /// Assigns each parameter's HTTP source for <paramref name="verb"/> <paramref name="template"/>; returns false
        /// (after adding diagnostics) when the route cannot bind the method.
        /// </summary>
        public static bool Bind(
            string methodName, string verb, string template, Location? location, List<(IParameterSymbol Symbol, ParameterModel Model)> parameters,
            ImmutableArray<DiagnosticModel>.Builder diagnostics)
        {
            if (!TryReadTemplate(template, out var names, out string? problem))
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.BadRoute, location, template, problem));
                return false;
            }

            bool ok = true;
            foreach (string name in names)
            {
                if (parameters.FindIndex(p => string.Equals(p.Model.Name, name, StringComparison.OrdinalIgnoreCase)) < 0)
                {
                    diagnostics.Add(DiagnosticModel.Create(Descriptors.UnknownRouteParameter, location, template, name));
                    ok = false;
                }
            }

            var body = new List<string>();
            for (int i = 0; i < parameters.Count; i++)
            {
                var (symbol, model) = parameters[i];
                bool inRoute = names.Exists(n => string.Equals(n, model.Name, StringComparison.OrdinalIgnoreCase));
                string source = inRoute ? "Route" : model.ParseKind != ParseKind.None ? "Query" : "Body";
                if (inRoute && model.ParseKind == ParseKind.None)
                {
                    diagnostics.Add(DiagnosticModel.Create(Descriptors.RouteParameterNotSimple, symbol.Locations.Length > 0 ? symbol.Locations[0] : location, model.Name, "route"));
                    ok = false;
                }

                if (source == "Body")
                {
                    body.Add(model.Name);
                }

                parameters[i] = (symbol, model with { HttpSource = source });
            }

            if (body.Count > 0 && verb is "GET" or "DELETE")
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.BadBodyParameters, location,
                    $"{verb} {template} cannot carry a request body, but '{body[0]}' of '{methodName}' is not a simple type; name it in the route, make it a simple type, or use POST/PUT"));
                ok = false;
            }
            else if (body.Count > 1)
            {
                diagnostics.Add(DiagnosticModel.Create(Descriptors.BadBodyParameters, location,
                    $"{verb} {template} binds '{string.Join("', '", body)}' of '{methodName}' from the body, but a route has one JSON body; combine them into one type, or use the default route (POST /service/method) which takes every parameter"));
                ok = false;
            }

            return ok;
        }

        /// <summary>Reads the parameter names of an ASP.NET Core route template ({id}, {id:long}, {id?}, {*path}).</summary>
        internal static bool TryReadTemplate(string template, out List<string> names, out string? problem)
        {
            names = new List<string>();
            problem = null;
            if (template.Length == 0 || template[0] != '/')
            {
                problem = "it must start with '/'";
                return false;
            }

            int at = 0;
            while (at < template.Length)
            {
                char c = template[at];
                if (c == '}')
                {
                    problem = $"'}}' at {at} closes nothing";
                    return false;
                }

                if (c != '{')
                {
                    if (c == '?' || c == '#')
                    {
                        problem = "a route has no query string or fragment";
                        return false;
                    }

                    at++;
                    continue;
                }

                int end = template.IndexOf('}', at + 1);
                if (end < 0)
                {
                    problem = $"'{{' at {at} is never closed";
                    return false;
                }

                string name = template.Substring(at + 1, end - at - 1).TrimStart('*');
                int cut = name.IndexOfAny(new[] { ':', '=', '?' });
                if (cut >= 0)
                {
                    name = name.Substring(0, cut);
                }

                if (name.Length == 0 || name.IndexOf('{') >= 0)
                {
                    problem = $"the parameter at {at} has no name";
                    return false;
                }

                if (names.Exists(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
                {
                    problem = $"'{{{name}}}' appears twice";
                    return false;
                }

                names.Add(name);
                at = end + 1;
            }

            return true;
        }

        private static bool DerivesFromRouteAttribute(INamedTypeSymbol? type)
        {
            for (var current = type?.BaseType; current is not null; current = current.BaseType)
            {
                if (current.ToDisplayString() == RouteAttributeBase)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
