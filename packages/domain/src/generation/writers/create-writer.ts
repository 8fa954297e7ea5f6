import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { WRITER_PROVIDERS, type StageWriterSettings, type WriterSettings } from "@scriptorium/contract";
import { InvalidError, type InvalidField } from "../../errors";
import { LlmWriter } from "./llm/llm-writer";
import { FREE } from "./llm/prices";
import { OfflineWriter } from "./offline";
import { DEFAULT_MODELS, writerPrice } from "./stage-writers";
import type { Writer } from "./writer";

/** Server-wide settings writers read, from the environment. */
export interface LlmEnvironment {
  /** OPENAI_API_KEY */
  openaiApiKey?: string;
  /** ANTHROPIC_API_KEY */
  anthropicApiKey?: string;
  /** SCRIPTORIUM_LLM_BASE_URL: the default OpenAI-compatible server, e.g. Ollama at http://127.0.0.1:11434/v1. */
  llmBaseUrl?: string;
  /** SCRIPTORIUM_LLM_API_KEY: the key of that server, for the servers that want one. */
  llmApiKey?: string;
}

const PROJECT_WRITER = ["writer"];

/**
 * Rejects a writer configuration that cannot run on this server (unknown
 * provider, missing API key or server address, malformed URL), the
 * project's own writer and every stage writer, so that a project is refused
 * when it is created rather than when its job starts.
 */
export function validateWriterConfig(config: WriterSettings, env: LlmEnvironment): void {
  const problems = [
    ...writerProblems(config, env, PROJECT_WRITER),
    ...Object.entries(config.stages ?? {}).flatMap(([stage, writer]) => writerProblems(writer, env, [...PROJECT_WRITER, "stages", stage])),
  ];
  if (problems.length > 0) throw new InvalidError(problems.map((problem) => problem.message).join(" "), problems);
}

/** What stops one writer from running; `at` is where it sits in the project (`writer`, or `writer.stages.6`). */
function writerProblems(config: StageWriterSettings, env: LlmEnvironment, at: string[]): InvalidField[] {
  const field = (name: string) => [...at, name];
  const label = at.length > 1 ? `The writer of stage ${at.at(-1)}` : "The writer";
  if (!(WRITER_PROVIDERS as readonly string[]).includes(config.provider)) {
    return [{ path: field("provider"), message: `Unknown writer provider "${String(config.provider)}"; use one of ${WRITER_PROVIDERS.join(", ")}.` }];
  }
  if (config.provider === "offline") return [];

  const problems: InvalidField[] = [];
  if (config.model !== null && config.model.trim() === "") {
    problems.push({ path: field("model"), message: `${label}'s model must not be empty; leave it null for the default.` });
  }
  if (config.base_url !== null && !isHttpUrl(config.base_url)) {
    problems.push({ path: field("base_url"), message: `${label}'s base URL "${config.base_url}" is not an http:// or https:// URL.` });
  }
  switch (config.provider) {
    case "openai":
      if (!env.openaiApiKey) problems.push({ path: field("provider"), message: "The OpenAI writer needs an API key: set OPENAI_API_KEY on the server." });
      break;
    case "anthropic":
      if (!env.anthropicApiKey) problems.push({ path: field("provider"), message: "The Anthropic writer needs an API key: set ANTHROPIC_API_KEY on the server." });
      break;
    case "openai-compatible":
      if (config.base_url === null) {
        if (!env.llmBaseUrl) {
          problems.push({
            path: field("base_url"),
            message: `The OpenAI-compatible writer needs the server's address: set ${at.join(".")}.base_url (for Ollama, http://127.0.0.1:11434/v1) or SCRIPTORIUM_LLM_BASE_URL on the server.`,
          });
        } else if (!isHttpUrl(env.llmBaseUrl)) {
          problems.push({ path: field("base_url"), message: `SCRIPTORIUM_LLM_BASE_URL "${env.llmBaseUrl}" is not an http:// or https:// URL.` });
        }
      }
      if (config.model === null) {
        problems.push({ path: field("model"), message: `The OpenAI-compatible writer needs a model: set ${at.join(".")}.model to a model the server serves (for Ollama, e.g. llama3.1).` });
      }
      break;
  }
  return problems;
}

/**
 * The writer one stage of a project runs with (see writerOfStage); throws
 * InvalidError when it cannot run (see validateWriterConfig). Its cost is
 * counted at the writer's own price; a model without a known price counts
 * as free, which only a project without a budget gets to run.
 */
export function createWriter(config: StageWriterSettings, env: LlmEnvironment): Writer {
  const problems = writerProblems(config, env, PROJECT_WRITER);
  if (problems.length > 0) throw new InvalidError(problems.map((problem) => problem.message).join(" "), problems);
  const price = writerPrice(config)?.price ?? FREE;
  const baseURL = config.base_url ?? undefined;
  switch (config.provider) {
    case "offline":
      return new OfflineWriter();
    case "openai": {
      const modelId = config.model ?? DEFAULT_MODELS.openai;
      const apiKey = env.openaiApiKey ?? "";
      return new LlmWriter({
        provider: "openai",
        // Chat completions: the protocol every OpenAI model and proxy speaks.
        model: createOpenAI({ apiKey, baseURL }).chat(modelId),
        modelId,
        price,
        label: baseURL ? `OpenAI (${displayUrl(baseURL)})` : "OpenAI",
        keySource: "OPENAI_API_KEY",
        secrets: [apiKey],
      });
    }
    case "anthropic": {
      const modelId = config.model ?? DEFAULT_MODELS.anthropic;
      const apiKey = env.anthropicApiKey ?? "";
      return new LlmWriter({
        provider: "anthropic",
        model: createAnthropic({ apiKey, baseURL })(modelId),
        modelId,
        price,
        label: baseURL ? `Anthropic (${displayUrl(baseURL)})` : "Anthropic",
        keySource: "ANTHROPIC_API_KEY",
        secrets: [apiKey],
      });
    }
    case "openai-compatible": {
      // validateWriterConfig has made sure both exist.
      const modelId = config.model ?? "";
      const serverUrl = baseURL ?? env.llmBaseUrl ?? "";
      const apiKey = env.llmApiKey || undefined;
      const provider = createOpenAICompatible({
        name: "openai-compatible",
        baseURL: serverUrl,
        apiKey,
        includeUsage: true,
        // Ollama, vLLM, llama.cpp and LM Studio accept a json_schema response format; some refuse json_object.
        supportsStructuredOutputs: true,
      });
      return new LlmWriter({
        provider: "openai-compatible",
        model: provider.chatModel(modelId),
        modelId,
        price,
        label: `the OpenAI-compatible server at ${displayUrl(serverUrl)}`,
        keySource: "SCRIPTORIUM_LLM_API_KEY",
        secrets: apiKey ? [apiKey] : [],
        // Not every server enforces the response schema: the prompt states it as well.
        describeSchemaInPrompt: true,
      });
    }
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** A URL as shown in messages: without any credentials it may carry. */
function displayUrl(value: string): string {
  const url = new URL(value);
  return `${url.origin}${url.pathname}`.replace(/\/$/, "");
}
