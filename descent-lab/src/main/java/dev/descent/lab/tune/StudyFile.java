package dev.descent.lab.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A study's record on disk, in JSON lines: a first line that says which study it is, then one line per
 * finished, pruned or failed trial, written and forced to the disk ({@code fsync}) as each trial ends, so a
 * crash loses at most the trials that were running.
 *
 * <pre>
 * {"descent_study":1,"space":"adam(lr=loguniform(1e-05, 0.1))","objective":"...","sampler":"tpe(seed=0, ...)","pruner":"none","seed":0,"jobs":2}
 * {"number":0,"state":"complete","score":0.0123,"spec":"adam(lr=0.0031)","params":{"lr":0.0031},"values":[0.0031],
 *  "intermediate":{"1":0.5,"3":0.1},"reason":null,"seconds":0.01}
 * </pre>
 * {@code values} holds each dimension's value as samplers see it (the option's index for a choice), which is
 * what a resumed study reads back; {@code params} is the same for people (a choice as its spec text). A
 * last line cut short by a crash is dropped when the file is opened again.
 */
final class StudyFile implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final List<TrialRecord> records;

    private StudyFile(Path path, FileChannel channel, List<TrialRecord> records) {
        this.path = path;
        this.channel = channel;
        this.records = records;
    }

    /**
     * Opens or creates the file of the study described by {@code header}, reading the trials it holds.
     *
     * @throws IllegalArgumentException when the file belongs to another study or a line is not a trial
     * @throws UncheckedIOException     when it cannot be read or written
     */
    static StudyFile open(Path path, Map<String, Object> header, SearchSpace space) {
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
                int complete = text.lastIndexOf('\n') + 1;
                if (complete < text.length()) {
                    channel.truncate(text.substring(0, complete).getBytes(StandardCharsets.UTF_8).length);
                    text = text.substring(0, complete);
                }
                List<TrialRecord> records = new ArrayList<>();
                String headerLine = JSON.writeValueAsString(header);
                String[] lines = text.isEmpty() ? new String[0] : text.split("\n");
                if (lines.length == 0) {
                    channel.position(0);
                } else {
                    JsonNode found = parse(path, 1, lines[0]);
                    JsonNode mine = JSON.readTree(headerLine);
                    if (!found.equals(mine)) {
                        List<String> differences = new ArrayList<>();
                        for (Iterator<String> it = mine.fieldNames(); it.hasNext(); ) {
                            String key = it.next();
                            if (!mine.get(key).equals(found.get(key))) {
                                differences.add(key + " " + found.get(key) + " where this one has " + mine.get(key));
                            }
                        }
                        throw new IllegalArgumentException("study file " + path + " holds another study: "
                                + String.join("; ", differences) + " (give another study file or the same options)");
                    }
                    for (int i = 1; i < lines.length; i++) {
                        records.add(record(path, i + 1, parse(path, i + 1, lines[i]), space));
                    }
                    channel.position(channel.size());
                }
                StudyFile file = new StudyFile(path, channel, records);
                if (lines.length == 0) {
                    file.writeLine(headerLine);
                }
                return file;
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not open study file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The trials read from the file when it was opened. */
    List<TrialRecord> records() {
        return records;
    }

    /** Appends a trial and forces it to the disk. */
    synchronized void append(TrialRecord r, SearchSpace space) {
        ObjectNode node = JSON.createObjectNode();
        node.put("number", r.number());
        node.put("state", r.state().id());
        putNumber(node, "score", r.score());
        node.put("spec", r.spec());
        ObjectNode params = node.putObject("params");
        double[] values = r.values();
        ArrayNode array = JSON.createArrayNode();
        for (int i = 0; i < values.length; i++) {
            SearchSpace.Dimension d = space.dimensions().get(i);
            if (d.distribution() instanceof Distribution.Choice c) {
                params.put(d.name(), c.render(values[i]));
            } else if (d.distribution() instanceof Distribution.IntUniform) {
                params.put(d.name(), (long) values[i]);
            } else {
                params.put(d.name(), values[i]);
            }
            array.add(values[i]);
        }
        node.set("values", array);
        ObjectNode intermediate = node.putObject("intermediate");
        r.intermediate().forEach((epoch, score) -> intermediate.put(Integer.toString(epoch), score));
        node.put("reason", r.reason());
        node.put("seconds", r.seconds());
        try {
            writeLine(JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write study file " + path + ": " + e.getMessage(), e);
        }
    }

    private void writeLine(String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    private static JsonNode parse(Path path, int line, String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("study file " + path + " line " + line + ": not JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static TrialRecord record(Path path, int line, JsonNode node, SearchSpace space) {
        String where = "study file " + path + " line " + line;
        JsonNode values = node.get("values");
        if (!node.hasNonNull("number") || !node.hasNonNull("state") || values == null || !values.isArray()
                || values.size() != space.dimensions().size()) {
            throw new IllegalArgumentException(where + ": not a trial of this space (needs number, state and "
                    + space.dimensions().size() + " values)");
        }
        double[] x = new double[values.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = values.get(i).asDouble();
        }
        TreeMap<Integer, Double> intermediate = new TreeMap<>();
        JsonNode reports = node.path("intermediate");
        for (Iterator<Map.Entry<String, JsonNode>> it = reports.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            intermediate.put(Integer.parseInt(e.getKey()), e.getValue().asDouble());
        }
        JsonNode score = node.get("score");
        try {
            return new TrialRecord(node.get("number").asInt(), TrialState.of(node.get("state").asText()), x,
                    node.path("spec").asText(), score == null || score.isNull() ? Double.NaN : score.asDouble(),
                    intermediate, node.hasNonNull("reason") ? node.get("reason").asText() : null,
                    node.path("seconds").asDouble());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
