"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AlertCircleIcon, LoaderCircleIcon, PlusIcon, TriangleAlertIcon } from "lucide-react";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { CreateApiKeyInput } from "@scriptorium/contract";
import { SCOPES, scopeIncludes } from "@scriptorium/contract/values";
import { CopyButton } from "@/components/copy-button";
import { ScopeBadge } from "@/components/scope-badge";
import { useSession } from "@/components/session-context";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectItemText, SelectTrigger, SelectValue } from "@/components/ui/select";
import { SCOPE_DETAILS } from "@/lib/scopes";
import { errorMessage, useTRPC, type IssuedApiKey } from "@/lib/trpc";

/** What the form holds; it is checked with the API's own schema, so mistakes show before a round trip. */
type CreateKeyFormValues = z.input<typeof CreateApiKeyInput>;

/** "Create key" button and dialog: a short form, then the new secret, shown this once. */
export function CreateKeyDialog() {
  const [open, setOpen] = useState(false);
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);

  function changeOpen(next: boolean) {
    setOpen(next);
    if (!next) setIssued(null);
  }

  return (
    <Dialog open={open} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" />
          Create key
        </Button>
      </DialogTrigger>
      <DialogContent
        // With the secret on screen, a stray click outside must not throw it away.
        onInteractOutside={(event) => {
          if (issued) event.preventDefault();
        }}
      >
        {issued ? <IssuedKey issued={issued} onDone={() => changeOpen(false)} /> : <CreateKeyFormView onCreated={setIssued} />}
      </DialogContent>
    </Dialog>
  );
}

function CreateKeyFormView({ onCreated }: { onCreated: (key: IssuedApiKey) => void }) {
  const session = useSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<CreateKeyFormValues, unknown, CreateApiKeyInput>({ resolver: zodResolver(CreateApiKeyInput), defaultValues: { name: "", scope: "read" } });
  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (key) => {
        void queryClient.invalidateQueries({ queryKey: trpc.keys.list.pathKey() });
        onCreated(key);
      },
    }),
  );
  // Nobody can issue a key above their own scope.
  const grantableScopes = SCOPES.filter((scope) => scopeIncludes(session.key.scope, scope));
  const nameError = form.formState.errors.name?.message;

  return (
    <>
      <DialogHeader>
        <DialogTitle>Create an API key</DialogTitle>
        <DialogDescription>For a script, a program or a person. You can revoke it at any time.</DialogDescription>
      </DialogHeader>
      <form className="grid gap-5" onSubmit={form.handleSubmit((values) => create.mutate(values))} noValidate>
        <div className="grid gap-2">
          <Label htmlFor="key-name">Name</Label>
          <Input
            id="key-name"
            placeholder="e.g. CI pipeline"
            autoComplete="off"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "key-name-error" : "key-name-hint"}
            {...form.register("name")}
          />
          {nameError ? (
            <p id="key-name-error" role="alert" className="text-sm text-destructive">
              {nameError}
            </p>
          ) : (
            <p id="key-name-hint" className="text-xs text-muted-foreground">
              Say where the key is used, so you know what breaks when you revoke it.
            </p>
          )}
        </div>
        <div className="grid gap-2">
          <Label htmlFor="key-scope">Scope</Label>
          <Controller
            control={form.control}
            name="scope"
            render={({ field }) => (
              <Select value={field.value} onValueChange={field.onChange}>
                <SelectTrigger id="key-scope" onBlur={field.onBlur}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {grantableScopes.map((scope) => (
                    <SelectItem key={scope} value={scope}>
                      <span className="grid gap-0.5">
                        <SelectItemText>{SCOPE_DETAILS[scope].label}</SelectItemText>
                        <span className="text-xs text-muted-foreground">{SCOPE_DETAILS[scope].description}</span>
                      </span>
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
          />
        </div>
        {create.error ? (
          <p role="alert" className="flex items-start gap-1.5 text-sm text-destructive">
            <AlertCircleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>{errorMessage(create.error)}</span>
          </p>
        ) : null}
        <DialogFooter>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
            Create key
          </Button>
        </DialogFooter>
      </form>
    </>
  );
}

function IssuedKey({ issued, onDone }: { issued: IssuedApiKey; onDone: () => void }) {
  return (
    <>
      <DialogHeader>
        <DialogTitle>Copy your new key</DialogTitle>
        <DialogDescription className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-foreground">{issued.name}</span>
          <ScopeBadge scope={issued.scope} />
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor="issued-key">Secret key</Label>
        <div className="flex gap-2">
          <Input
            id="issued-key"
            readOnly
            value={issued.key}
            className="font-mono text-xs"
            spellCheck={false}
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton value={issued.key} label="Copy key" />
        </div>
      </div>
      <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
        <TriangleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          This is the only time the key is shown. Store it somewhere safe now: Scriptorium keeps only a hash and cannot show it again.
        </span>
      </p>
      <DialogFooter>
        <Button onClick={onDone}>Done</Button>
      </DialogFooter>
    </>
  );
}
