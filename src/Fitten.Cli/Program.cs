using Fitten.Cli;

return await FittenCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
