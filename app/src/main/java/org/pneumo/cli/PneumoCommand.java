package org.pneumo.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.pneumo.data.DataException;
import org.pneumo.data.SettingNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pneumo} command line: one subcommand per job. */
@Command(
        name = "pneumo",
        mixinStandardHelpOptions = true,
        versionProvider = PneumoCommand.Version.class,
        description = "Detects pneumonia in pediatric chest X-rays with a CNN+LSTM network (research tool, not a"
                + " medical device).",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ServeCommand.class,
                InfoCommand.class, GuardCommand.class, AuditLabelsCommand.class, ThresholdCommand.class,
                EnsembleCommand.class, CommandLine.HelpCommand.class})
public final class PneumoCommand {
    /** Exit code for bad input: a missing or malformed data folder, bad options, a model that does not fit. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for an unexpected failure (a bug or an environment problem). */
    public static final int EXIT_FAILURE = 1;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PneumoCommand());
        cli.setExecutionExceptionHandler(PneumoCommand::handle);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** One line and an exit code, never a stack trace (set PNEUMO_DEBUG=1 to see it). */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean badInput = e instanceof DataException || e instanceof IllegalArgumentException
                || e instanceof org.pneumo.model.ModelLoadException || e instanceof java.nio.file.NoSuchFileException;
        String message = e instanceof SettingNames.Named named ? named.message(flags(cli))
                : e.getMessage() == null ? e.toString() : e.getMessage();
        err.println("pneumo: " + (badInput ? "" : "error: ") + message);
        if (System.getenv("PNEUMO_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return badInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }

    /** Settings the library names differently from the command line's flags. */
    private static final Map<String, String> FLAG_ALIASES = Map.of("architecture", "--arch", "data", "--data");

    /**
     * How the command that failed calls a setting the library names: its option {@code --kebab-case} of the setting's
     * camelCase name when it has one (or an alias), else the library's name.
     */
    static UnaryOperator<String> flags(CommandLine cli) {
        return setting -> {
            String flag = FLAG_ALIASES.getOrDefault(setting,
                    "--" + setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
            return cli.getCommandSpec().findOption(flag) != null ? flag : setting;
        };
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PneumoCommand.class.getPackage().getImplementationVersion();
            return new String[] {"pneumo " + (v == null ? "development build" : v)};
        }
    }
}
