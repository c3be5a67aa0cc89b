using System.Text.Json.Nodes;
using Fitten.AspNetCore.Server;
using Fitten.Codecs;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Fitten.AspNetCore.Http;

/// <summary>
/// Adds the HTTP/JSON endpoints of every served contract to the OpenAPI document Microsoft.AspNetCore.OpenApi
/// builds. Fitten's endpoints are plain request delegates (no reflection over handler signatures), which API
/// Explorer cannot see, so this transformer describes them from the generated descriptors; the schemas of
/// parameter and result types still come from OpenAPI's own schema service (and the app's JSON options).
/// </summary>
internal sealed class FittenOpenApiTransformer : IOpenApiDocumentTransformer
{
    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var served = context.ApplicationServices.GetService<ServedContracts>();
        if (served is null)
        {
            return;
        }

        document.Paths ??= [];
        foreach (var contract in served.Contracts)
        {
            document.Tags ??= new HashSet<OpenApiTag>();
            document.Tags.Add(new OpenApiTag { Name = contract.Contract.ServiceName });
            foreach (var method in contract.Contract.Methods)
            {
                var defaultOperation = await DescribeAsync(document, context, contract.Contract.ServiceName, method, route: false, cancellationToken).ConfigureAwait(false);
                AddOperation(document, "/" + contract.Contract.ServiceName + "/" + method.Name, HttpMethod.Post, defaultOperation);
                if (method.Route is { } route)
                {
                    var routeOperation = await DescribeAsync(document, context, contract.Contract.ServiceName, method, route: true, cancellationToken).ConfigureAwait(false);
                    AddOperation(document, OpenApiPath(route.Template), new HttpMethod(route.HttpMethod), routeOperation);
                }
            }
        }
    }

    /// <summary>An ASP.NET Core route template as an OpenAPI path: "/orders/{id:long}" becomes "/orders/{id}".</summary>
    internal static string OpenApiPath(string template)
    {
        var path = new System.Text.StringBuilder(template.Length);
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            path.Append(c);
            if (c != '{')
            {
                continue;
            }

            int end = template.IndexOf('}', i);
            string name = template[(i + 1)..end].TrimStart('*');
            int cut = name.IndexOfAny([':', '=', '?']);
            path.Append(cut >= 0 ? name[..cut] : name).Append('}');
            i = end;
        }

        return path.ToString();
    }

    private static void AddOperation(OpenApiDocument document, string path, HttpMethod verb, OpenApiOperation operation)
    {
        if (!document.Paths.TryGetValue(path, out var item) || item is not OpenApiPathItem pathItem)
        {
            pathItem = new OpenApiPathItem();
            document.Paths[path] = pathItem;
        }

        pathItem.Operations ??= [];
        pathItem.Operations[verb] = operation;
    }

    private static async Task<OpenApiOperation> DescribeAsync(
        OpenApiDocument document, OpenApiDocumentTransformerContext context, string service, ContractMethod method, bool route, CancellationToken cancellationToken)
    {
        var operation = new OpenApiOperation
        {
            OperationId = service + "." + method.Name + (route ? ".route" : string.Empty),
            Summary = route
                ? $"{method.ClrName} at its own route (also POST /{service}/{method.Name})."
                : $"{method.ClrName}: every parameter in one JSON object.",
            Tags = new HashSet<OpenApiTagReference> { new(service, document) },
            Responses = [],
        };

        if (route)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Source == HttpParameterSource.Body)
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = parameter.IsRequired,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(parameter.Type, null, cancellationToken).ConfigureAwait(false) },
                        },
                    };
                    continue;
                }

                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = parameter.Source == HttpParameterSource.Route ? ParameterLocation.Path : ParameterLocation.Query,
                    Required = parameter.Source == HttpParameterSource.Route || parameter.IsRequired,
                    Schema = await context.GetOrCreateSchemaAsync(parameter.Type, null, cancellationToken).ConfigureAwait(false),
                });
            }
        }
        else if (method.Parameters.Count > 0)
        {
            var body = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema>(), Required = new HashSet<string>() };
            foreach (var parameter in method.Parameters)
            {
                body.Properties[parameter.Name] = await context.GetOrCreateSchemaAsync(parameter.Type, null, cancellationToken).ConfigureAwait(false);
                if (parameter.IsRequired)
                {
                    body.Required.Add(parameter.Name);
                }
            }

            operation.RequestBody = new OpenApiRequestBody
            {
                Required = body.Required.Count > 0,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body } },
            };
        }

        if (method.ResultType == typeof(Unit))
        {
            operation.Responses["204"] = new OpenApiResponse { Description = "Done; no content." };
        }
        else
        {
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "The result.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(method.ResultType, null, cancellationToken).ConfigureAwait(false) },
                },
            };
        }

        operation.Responses["default"] = new OpenApiResponse
        {
            Description = "An error as problem details; 'code' is the Fitten status (INVALID_ARGUMENT 400, NOT_FOUND 404, RESOURCE_EXHAUSTED 429, UNAVAILABLE 503, DEADLINE_EXCEEDED 504, INTERNAL 500).",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = ProblemSchema() } },
        };
        return operation;
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Examples = [JsonValue.Create("NOT_FOUND")] },
            ["method"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };
}
