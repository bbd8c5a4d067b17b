using ValueManagement.Cli;

return await VmCli.RunAsync(args, Console.Out, Console.Error);
