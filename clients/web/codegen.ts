// graphql-codegen's client preset: typed documents for every `graphql(...)` call in src/,
// written to src/gql/ (committed; `npm run check` fails when it is out of date).
//
//   npm run codegen
//
// SWCAT_SCHEMA points at another SDL file (e.g. one printed by `swcat schema` from a server
// not yet committed); by default it is the repository's generated schema.graphql.
import type { CodegenConfig } from "@graphql-codegen/cli";
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";

const config: CodegenConfig = {
  schema: process.env.SWCAT_SCHEMA ?? "../../schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        // Plain result types: the cache helpers read and write whole fragments.
        fragmentMasking: false,
        // src/gql/persisted-documents.json: { sha256 hash: document text }, the list of
        // documents this client sends (for the server's `--trusted-documents FILE`); each
        // document also carries its hash in `__meta__.hash`.
        persistedDocuments: { hashAlgorithm: "sha256" },
      },
      // Apollo Client and urql add `__typename` to every selection before they send a
      // document; adding it here too makes the persisted text the text they run, and the
      // result types say what the caches see.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        scalars: { UUID: "string", Date: "string" },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
        nonOptionalTypename: true,
      },
    },
  },
};

export default config;
